package dev.gevent.tck.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.queue.Channel;
import dev.gevent.queue.Empty;
import dev.gevent.queue.Full;
import dev.gevent.queue.Queue;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Queues shared across threads (gevent: queues used from several OS threads, each with its own
 * hub): a plain thread and greenlets of other hubs may put and get, and every waiter is resumed on
 * its own hub.
 *
 * <p>A wait that only another thread can end does not keep a hub alive (gevent raises
 * {@code LoopExit} then): the waiting main greenlets here keep a {@link Timeout} pending, far
 * longer than the test needs, which is never what wakes them.
 */
@GeventTck
public class QueueThreadsTck {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(20);

    @Test
    void aPlainThreadPutWakesAGreenletOnItsOwnHub() throws InterruptedException {
        Hub hub = Gevent.getHub();
        Queue<String> q = new Queue<>();
        Greenlet<String> getter = Gevent.spawn(() -> q.get() + " " + where(hub));
        Gevent.idle();
        Thread foreign = Thread.ofPlatform().name("tck-queue-putter").start(() -> q.put("a"));
        try (var _ = Timeout.startNew(KEEP_ALIVE)) {
            assertEquals("a on its own hub", getter.get());
        }
        foreign.join();
    }

    @Test
    void aPlainThreadBlocksInGetRunningAHubOfItsOwn() throws InterruptedException {
        Hub hub = Gevent.getHub();
        Channel<String> ch = new Channel<>();
        AtomicReference<String> got = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread foreign = Thread.ofPlatform().name("tck-queue-getter").start(() -> {
            Hub own = Gevent.getHub();
            try (var _ = Timeout.startNew(KEEP_ALIVE)) {
                got.set(ch.get() + (own != hub ? " on a hub of its own" : " on the wrong hub"));
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                own.close();
            }
        });
        try (var _ = Timeout.startNew(KEEP_ALIVE)) {
            ch.put("a");
        }
        foreign.join();
        assertNull(failure.get());
        assertEquals("a on a hub of its own", got.get());
    }

    @Test
    void greenletsOfTwoHubsShareABoundedQueue() {
        int items = 2_000;
        Queue<Integer> q = new Queue<>(4);
        Hub producerHub = Hub.startThread("tck-queue-producer");
        Hub consumerHub = Hub.startThread("tck-queue-consumer");
        try {
            assertNotSame(producerHub, consumerHub);
            Greenlet<String> producer = producerHub.spawn(() -> {
                String where = "";
                for (int i = 0; i < items; i++) {
                    q.put(i);
                    if (i % 100 == 0) {
                        where = where(producerHub);
                    }
                }
                return where;
            });
            Greenlet<String> consumer = consumerHub.spawn(() -> {
                String where = "";
                for (int i = 0; i < items; i++) {
                    int got = q.get();
                    if (got != i) {
                        return "got " + got + " where " + i + " was due";
                    }
                    if (i % 100 == 0) {
                        where = where(consumerHub);
                    }
                }
                return where;
            });
            try (var _ = Timeout.startNew(KEEP_ALIVE)) {
                assertEquals("on its own hub", consumer.get());
                assertEquals("on its own hub", producer.get());
            }
            assertTrue(q.empty());
        } finally {
            producerHub.close();
            consumerHub.close();
        }
    }

    /**
     * Plain threads and greenlets of two hubs put into a small queue, with short timeouts on both
     * sides so that timeouts race with hand-offs; every item must arrive exactly once, and each
     * consumer must see each producer's items in the order they were put.
     */
    @Test
    void producersAndConsumersOnManyThreadsLoseNothingWhileTimeoutsRace() throws InterruptedException {
        int producers = 4;
        int perProducer = 1_000;
        Queue<long[]> q = new Queue<>(2);
        AtomicInteger remaining = new AtomicInteger(producers * perProducer);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Hub otherHub = Hub.startThread("tck-queue-other");
        List<Thread> threads = new ArrayList<>();
        List<Greenlet<List<long[]>>> consumers = new ArrayList<>();
        try {
            for (int p = 0; p < producers - 1; p++) {
                int id = p;
                threads.add(Thread.ofPlatform().name("tck-queue-producer-" + p).start(() -> {
                    try {
                        produce(q, id, perProducer);
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        Gevent.getHub().close();
                    }
                }));
            }
            Greenlet<Void> greenletProducer = otherHub.spawn(() -> produce(q, producers - 1, perProducer));
            consumers.add(otherHub.spawn(() -> consume(q, remaining)));
            consumers.add(Gevent.spawn(() -> consume(q, remaining)));
            consumers.add(Gevent.spawn(() -> consume(q, remaining)));

            List<List<long[]>> received = new ArrayList<>();
            try (var _ = Timeout.startNew(KEEP_ALIVE)) {
                for (Greenlet<List<long[]>> c : consumers) {
                    received.add(c.get());
                }
                greenletProducer.get();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "a producer thread failed: " + failures);

            int[] seen = new int[producers * perProducer];
            for (List<long[]> mine : received) {
                long[] last = new long[producers];
                Arrays.fill(last, -1);
                for (long[] item : mine) {
                    int producer = (int) item[0];
                    assertTrue(item[1] > last[producer], "a consumer saw producer " + producer + "'s items out of order");
                    last[producer] = item[1];
                    seen[producer * perProducer + (int) item[1]]++;
                }
            }
            for (int i = 0; i < seen.length; i++) {
                assertEquals(1, seen[i], "item " + i + " arrived " + seen[i] + " times");
            }
            assertTrue(q.empty());
        } finally {
            otherHub.close();
        }
    }

    /** Puts {@code count} items {producer, sequence}, retrying each put that times out. */
    private static void produce(Queue<long[]> q, int producer, int count) {
        for (int i = 0; i < count; i++) {
            long[] item = {producer, i};
            while (true) {
                try {
                    q.put(item, Duration.ofMillis(1));
                    break;
                } catch (Full e) {
                    // Timed out: the item was not added; try again, keeping this producer's order.
                }
            }
        }
    }

    /** Gets until every item has been got by someone, with a timeout short enough to race with puts. */
    private static List<long[]> consume(Queue<long[]> q, AtomicInteger remaining) {
        List<long[]> mine = new ArrayList<>();
        while (remaining.get() > 0) {
            try {
                mine.add(q.get(Duration.ofMillis(1)));
                remaining.decrementAndGet();
            } catch (Empty e) {
                // Timed out: nothing was taken; look again whether work is left.
            }
        }
        return mine;
    }

    /** @return "on its own hub" if the caller is a greenlet carried by {@code hub}'s thread */
    private static String where(Hub hub) {
        Thread me = Thread.currentThread();
        boolean ok = me.isVirtual() && Gevent.getHub() == hub && me.toString().endsWith("@" + hub.thread().getName());
        return ok ? "on its own hub" : "not on its own hub: " + me;
    }
}
