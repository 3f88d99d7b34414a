package dev.gevent.tck.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.event.Event;
import dev.gevent.pool.Pool;
import dev.gevent.pool.PoolFull;
import dev.gevent.queue.Full;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code gevent.pool.Pool}: never more than its size at a time, spawns that block while it is full
 * and are served in arrival order, {@code PoolFull} from the timed add and start,
 * {@code free_count}, {@code full}, {@code wait_available}, and {@code apply_async} that never blocks.
 */
@GeventTck
public class PoolTck {

    private static final Duration LONG = Duration.ofSeconds(60);

    /** Counts running tasks and remembers the most seen at once. */
    private static final class Concurrency {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();

        void task() {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Gevent.sleep(Duration.ofMillis(1));
            } finally {
                running.decrementAndGet();
                done.incrementAndGet();
            }
        }
    }

    @Test
    void aPoolHoldsAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> new Pool(0));
        assertThrows(IllegalArgumentException.class, () -> new Pool(-1));
        assertEquals(1, new Pool(1).freeCount());
    }

    @Test
    void noMoreThanSizeRunAtOnce() {
        Pool pool = new Pool(4);
        Concurrency c = new Concurrency();
        for (int i = 0; i < 40; i++) {
            pool.spawn(c::task);
            assertTrue(pool.size() <= 4, "size " + pool.size());
        }
        assertTrue(pool.join());
        assertEquals(4, c.most.get(), "the pool ran exactly its size at once");
        assertEquals(40, c.done.get());
    }

    @Test
    void aSpawnBlocksWhileFullAndGoesOnWhenAMemberDies() {
        Pool pool = new Pool(1);
        Event gate = new Event();
        Greenlet<Boolean> first = pool.spawn(() -> gate.await());
        List<String> log = new ArrayList<>();
        Greenlet<Void> spawner = Gevent.spawn(() -> {
            pool.spawn(() -> log.add("second ran"));
            log.add("spawned");
        });
        for (int i = 0; i < 5; i++) {
            Gevent.sleep();
        }
        assertFalse(spawner.dead(), "the spawner waits while the pool is full");
        assertEquals(List.of(), log);
        assertTrue(pool.full());
        gate.set();
        spawner.join();
        assertTrue(first.dead());
        assertTrue(pool.join());
        assertEquals(List.of("spawned", "second ran"), log);
    }

    @Test
    void blockedSpawnersAreServedInArrivalOrder() {
        Pool pool = new Pool(1);
        Event gate = new Event();
        pool.spawn(() -> gate.await());
        List<Integer> order = new ArrayList<>();
        List<Greenlet<Void>> spawners = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int n = i;
            spawners.add(Gevent.spawn(() -> {
                pool.spawn(() -> order.add(n));
            }));
        }
        Gevent.sleep();
        Gevent.spawn(gate::set);
        // the main greenlet queues last: it must not overtake the spawners blocked before it
        pool.spawn(() -> order.add(4));
        Gevent.joinAll(spawners);
        assertTrue(pool.join());
        assertEquals(List.of(1, 2, 3, 4), order);
    }

    @Test
    void timedAddAndStartThrowPoolFullWhenNoRoomComesInTime() {
        Pool pool = new Pool(1);
        Event gate = new Event();
        pool.spawn(() -> gate.await());
        Greenlet<String> g = Greenlet.of(() -> "late");
        PoolFull full = assertThrows(PoolFull.class, () -> pool.add(g, Duration.ofMillis(30)));
        assertTrue(full instanceof Full, "PoolFull is a queue Full");
        assertFalse(pool.contains(g));
        assertThrows(PoolFull.class, () -> pool.start(g, Duration.ZERO));
        assertFalse(g.started(), "a start that found no room does not start the greenlet");
        gate.set();
        pool.start(g, Duration.ofSeconds(10));
        assertEquals("late", g.get());
        assertTrue(pool.join());
    }

    @Test
    void addAndStartBlockWhileFull() {
        Pool pool = new Pool(1);
        Event gate = new Event();
        pool.spawn(() -> gate.await());
        Greenlet<String> g = Greenlet.of(() -> "second");
        Gevent.spawn(() -> {
            Gevent.sleep(Duration.ofMillis(20));
            gate.set();
        });
        pool.start(g);
        assertTrue(pool.contains(g) || g.dead());
        assertEquals("second", g.get());
        Greenlet<String> h = Greenlet.of(() -> "third");
        pool.add(h);
        assertTrue(pool.contains(h));
        assertFalse(h.started());
        h.start();
        assertEquals("third", h.get());
    }

    @Test
    void freeCountFullAndWaitAvailable() {
        Pool pool = new Pool(2);
        assertEquals(2, pool.freeCount());
        assertFalse(pool.full());
        Event first = new Event();
        Event second = new Event();
        pool.spawn(() -> first.await());
        assertEquals(1, pool.freeCount());
        pool.spawn(() -> second.await());
        assertEquals(0, pool.freeCount());
        assertTrue(pool.full());
        assertFalse(pool.waitAvailable(Duration.ofMillis(30)));
        assertFalse(pool.waitAvailable(Duration.ZERO));
        Greenlet<Integer> watcher = Gevent.spawn(() -> {
            pool.waitAvailable();
            return pool.freeCount();
        });
        Gevent.sleep();
        assertFalse(watcher.dead());
        first.set();
        assertEquals(1, watcher.get(), "waitAvailable sees room without taking it");
        assertTrue(pool.waitAvailable(Duration.ZERO));
        assertEquals(1, pool.freeCount());
        second.set();
        assertTrue(pool.join());
        assertEquals(2, pool.freeCount());
    }

    @Test
    void applyAsyncNeverBlocksAndStartsInTurnWhenFull() {
        Pool pool = new Pool(1);
        Event gate = new Event();
        pool.spawn(() -> gate.await());
        Greenlet<String> queued = pool.applyAsync(() -> "queued");
        assertFalse(queued.started(), "it waits for room, not started");
        assertEquals(1, pool.size());
        assertFalse(pool.join(Duration.ofMillis(30)), "join waits for a greenlet waiting for room too");
        gate.set();
        assertEquals("queued", queued.get());
        assertTrue(pool.join());

        Greenlet<String> now = pool.applyAsync(() -> "now");
        assertTrue(now.started());
        assertEquals("now", now.get());
    }

    @Test
    void killAlsoKillsGreenletsWaitingForRoom() {
        Pool pool = new Pool(1);
        AtomicInteger finallies = new AtomicInteger();
        pool.spawn(() -> {
            try {
                Gevent.sleep(LONG);
            } finally {
                finallies.incrementAndGet();
            }
        });
        Greenlet<String> queued = pool.applyAsync(() -> "never");
        Gevent.sleep();
        pool.kill();
        assertEquals(1, finallies.get());
        assertTrue(queued.dead());
        assertEquals(0, pool.size());
        assertTrue(pool.join(Duration.ZERO));
    }

    @Test
    void closeWakesSpawnersBlockedOnAFullPoolWithIllegalState() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        Pool pool = new Pool(1);
        pool.spawn(() -> Gevent.sleep(LONG));
        Greenlet<?> spawner = Gevent.spawn(() -> pool.spawn(() -> "too late"));
        Gevent.sleep();
        pool.close();
        assertThrows(IllegalStateException.class, spawner::get);
        assertEquals(0, pool.size());
        assertEquals(1, pool.freeCount());
    }
}
