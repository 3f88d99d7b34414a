package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.WaitIterator;
import dev.gevent.Waitable;
import dev.gevent.Waiter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Waiting on many objects (gevent: {@code joinall}, {@code killall}, {@code wait},
 * {@code iwait}): results come in the order the objects became ready, {@code count} and
 * {@code timeout} cut the wait short, and an iterator that is closed unlinks what it still waits for.
 */
@GeventTck
public class WaitTck {

    private static final Duration LONG = Duration.ofSeconds(60);

    /**
     * Three greenlets blocked on their own waiters, released c, b, a by a fourth: each release is
     * followed by a yield, so each dies before the next is released.
     */
    private record Trio(Greenlet<String> a, Greenlet<String> b, Greenlet<String> c, Greenlet<Void> releaser) {
        static Trio releasedInReverse() {
            Hub hub = Gevent.getHub();
            Waiter<String> wa = hub.newWaiter();
            Waiter<String> wb = hub.newWaiter();
            Waiter<String> wc = hub.newWaiter();
            Greenlet<String> a = Gevent.spawn(wa::get);
            Greenlet<String> b = Gevent.spawn(wb::get);
            Greenlet<String> c = Gevent.spawn(wc::get);
            Greenlet<Void> releaser = Gevent.spawn(() -> {
                wc.switchTo("c");
                Gevent.sleep();
                wb.switchTo("b");
                Gevent.sleep();
                wa.switchTo("a");
            });
            return new Trio(a, b, c, releaser);
        }

        List<Greenlet<String>> inSpawnOrder() {
            return List.of(a, b, c);
        }
    }

    /** A Waitable made ready by hand, which shows what is linked to it. */
    private static final class Flag implements Waitable {
        private final List<Runnable> callbacks = new ArrayList<>();
        private boolean ready;

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public void rawlink(Runnable callback) {
            Objects.requireNonNull(callback, "callback");
            if (ready) {
                Gevent.getHub().callSoon(callback);
            } else {
                callbacks.add(callback);
            }
        }

        @Override
        public void unlink(Runnable callback) {
            callbacks.remove(callback);
        }

        void set() {
            ready = true;
            for (Runnable callback : List.copyOf(callbacks)) {
                Gevent.getHub().callSoon(callback);
            }
            callbacks.clear();
        }

        int linked() {
            return callbacks.size();
        }
    }

    @Test
    void joinAllReturnsTheGreenletsInTheOrderTheyDied() {
        Trio trio = Trio.releasedInReverse();
        List<Greenlet<String>> dead = Gevent.joinAll(trio.inSpawnOrder());
        assertEquals(List.of(trio.c(), trio.b(), trio.a()), dead);
        trio.releaser().join();
    }

    @Test
    void joinAllWithCountReturnsOnceThatManyDied() {
        Hub hub = Gevent.getHub();
        Waiter<String> never = hub.newWaiter();
        Greenlet<String> blocked = Gevent.spawn(never::get);
        Greenlet<String> quick = Gevent.spawn(() -> "quick");
        List<Greenlet<String>> dead = Gevent.joinAll(List.of(blocked, quick), null, false, 1);
        assertEquals(List.of(quick), dead);
        assertFalse(blocked.dead());
        blocked.kill();
    }

    @Test
    void joinAllWithTimeoutReturnsThoseDeadWhenTheTimeElapses() {
        Hub hub = Gevent.getHub();
        Waiter<String> never = hub.newWaiter();
        Greenlet<String> blocked = Gevent.spawn(never::get);
        Greenlet<String> quick = Gevent.spawn(() -> "quick");
        List<Greenlet<String>> dead = Gevent.joinAll(List.of(blocked, quick), Duration.ofMillis(50), false);
        assertEquals(List.of(quick), dead);
        assertFalse(blocked.dead());
        blocked.kill();
    }

    @Test
    void joinAllWithRaiseErrorThrowsTheFailure() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        IllegalStateException boom = new IllegalStateException("boom");
        Greenlet<Object> bad = Gevent.spawn(() -> {
            throw boom;
        });
        Greenlet<Object> good = Gevent.spawn(() -> "fine");
        List<Greenlet<Object>> both = List.of(good, bad);
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Gevent.joinAll(both, null, true)));

        IOException checked = new IOException("boom");
        Greenlet<Object> badChecked = Gevent.spawn(() -> {
            throw checked;
        });
        assertSame(checked, assertThrows(CompletionException.class,
                () -> Gevent.joinAll(List.of(badChecked), null, true)).getCause());
    }

    @Test
    void joinAllWithoutRaiseErrorReturnsFailedGreenletsToo() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        Greenlet<Object> bad = Gevent.spawn(() -> {
            throw new IllegalStateException("boom");
        });
        List<Greenlet<Object>> dead = Gevent.joinAll(List.of(bad));
        assertEquals(List.of(bad), dead);
    }

    @Test
    void killAllKillsEveryGreenletAndWaits() {
        AtomicInteger finallies = new AtomicInteger();
        List<Greenlet<Void>> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(Gevent.spawn(() -> {
                try {
                    Gevent.sleep(LONG);
                } finally {
                    finallies.incrementAndGet();
                }
            }));
        }
        Gevent.sleep();
        Gevent.killAll(all);
        for (Greenlet<Void> g : all) {
            assertTrue(g.dead());
            assertTrue(g.successful());
        }
        assertEquals(3, finallies.get());
    }

    @Test
    void killAllWithoutBlockingRaisesTheGivenExceptionLater() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        IllegalStateException boom = new IllegalStateException("boom");
        List<Greenlet<Void>> all = List.of(
                Gevent.spawn(() -> Gevent.sleep(LONG)),
                Gevent.spawn(() -> Gevent.sleep(LONG)));
        Gevent.sleep();
        Gevent.killAll(all, boom, false, null);
        assertFalse(all.get(0).dead());
        Gevent.joinAll(all);
        for (Greenlet<Void> g : all) {
            assertSame(boom, g.exception());
        }
    }

    @Test
    void killAllWithTimeoutThrowsTimeoutWhenAVictimIgnoresTheKill() {
        AtomicBoolean stop = new AtomicBoolean();
        Greenlet<Void> stubborn = Gevent.spawn(() -> {
            while (!stop.get()) {
                try {
                    Gevent.sleep(LONG);
                } catch (GreenletExit e) {
                    // This victim ignores kills until told to stop.
                }
            }
        });
        Greenlet<Void> meek = Gevent.spawn(() -> Gevent.sleep(LONG));
        Gevent.sleep();
        List<Greenlet<Void>> both = List.of(stubborn, meek);
        assertThrows(Timeout.class, () -> Gevent.killAll(both, new GreenletExit(), true, Duration.ofMillis(50)));
        assertTrue(meek.dead());
        assertFalse(stubborn.dead());
        stop.set(true);
        stubborn.kill();
        assertTrue(stubborn.dead());
    }

    @Test
    void waitReturnsAllObjectsInTheOrderTheyBecameReady() {
        Trio trio = Trio.releasedInReverse();
        List<Greenlet<String>> ready = Gevent.wait(trio.inSpawnOrder());
        assertEquals(List.of(trio.c(), trio.b(), trio.a()), ready);
    }

    @Test
    void waitWithCountReturnsTheFirstReady() {
        Trio trio = Trio.releasedInReverse();
        List<Greenlet<String>> ready = Gevent.wait(trio.inSpawnOrder(), null, 2);
        assertEquals(List.of(trio.c(), trio.b()), ready);
        Gevent.joinAll(trio.inSpawnOrder());
    }

    @Test
    void waitWithTimeoutReturnsThoseReadyWhenTheTimeElapses() {
        Flag never = new Flag();
        Flag soon = new Flag();
        Gevent.getHub().callSoon(soon::set);
        List<Flag> ready = Gevent.wait(List.of(never, soon), Duration.ofMillis(50), 0);
        assertEquals(List.of(soon), ready);
        assertEquals(0, never.linked(), "wait() left a callback linked to an object that never became ready");
    }

    @Test
    void waitAcceptsAnyWaitable() {
        Flag flag = new Flag();
        Greenlet<Integer> g = Gevent.spawn(() -> {
            Gevent.sleep(Duration.ofMillis(20));
            return 1;
        });
        Gevent.spawn(() -> {
            g.join();
            flag.set();
        });
        List<Waitable> objects = List.of(flag, g);
        assertEquals(List.of(g, flag), Gevent.wait(objects));
    }

    @Test
    void iwaitYieldsInReadinessOrder() {
        Trio trio = Trio.releasedInReverse();
        List<Greenlet<String>> seen = new ArrayList<>();
        try (WaitIterator<Greenlet<String>> it = Gevent.iwait(trio.inSpawnOrder())) {
            for (Greenlet<String> g : it) {
                seen.add(g);
                assertTrue(g.dead());
            }
        }
        assertEquals(List.of(trio.c(), trio.b(), trio.a()), seen);
    }

    @Test
    void iwaitStopsAtTheCount() {
        Trio trio = Trio.releasedInReverse();
        try (WaitIterator<Greenlet<String>> it = Gevent.iwait(trio.inSpawnOrder(), null, 1)) {
            assertTrue(it.hasNext());
            assertSame(trio.c(), it.next());
            assertFalse(it.hasNext());
        }
        Gevent.joinAll(trio.inSpawnOrder());
    }

    @Test
    void iwaitEndsWhenTheTimeoutElapses() {
        Hub hub = Gevent.getHub();
        Waiter<String> never = hub.newWaiter();
        Greenlet<String> blocked = Gevent.spawn(never::get);
        Greenlet<String> quick = Gevent.spawn(() -> "quick");
        List<Greenlet<String>> seen = new ArrayList<>();
        try (WaitIterator<Greenlet<String>> it = Gevent.iwait(List.of(blocked, quick), Duration.ofMillis(50), 0)) {
            it.forEachRemaining(seen::add);
        }
        assertEquals(List.of(quick), seen);
        blocked.kill();
    }

    @Test
    void closingIwaitUnlinksFromObjectsNotYetReady() {
        Flag never = new Flag();
        Flag soon = new Flag();
        Gevent.getHub().callSoon(soon::set);
        try (WaitIterator<Flag> it = Gevent.iwait(List.of(never, soon))) {
            assertSame(soon, it.next());
        }
        assertEquals(0, never.linked(), "iwait's close() left a callback linked");
        never.set();
        Gevent.getHub().join();
    }

    @Test
    void hubJoinReturnsOnceEverythingHasFinished() {
        Hub hub = Gevent.getHub();
        AtomicBoolean timerFired = new AtomicBoolean();
        List<Greenlet<?>> all = List.of(
                Gevent.spawn(() -> Gevent.sleep(Duration.ofMillis(20))),
                Gevent.spawnLater(Duration.ofMillis(10), () -> 1),
                Gevent.spawn(() -> {
                    Thread.sleep(30);
                }),
                Gevent.spawn(() -> {
                    for (int i = 0; i < 10; i++) {
                        Gevent.sleep();
                    }
                }));
        hub.callLater(Duration.ofMillis(15), () -> timerFired.set(true));
        assertTrue(hub.join());
        for (Greenlet<?> g : all) {
            assertTrue(g.dead(), g + " still alive after hub.join()");
        }
        assertTrue(timerFired.get());
    }

    @Test
    void hubJoinWithTimeoutReturnsFalseWhileWorkIsLeft() {
        Hub hub = Gevent.getHub();
        Greenlet<Void> sleeper = Gevent.spawn(() -> Gevent.sleep(LONG));
        assertFalse(hub.join(Duration.ofMillis(50)));
        assertFalse(sleeper.dead());
        sleeper.kill();
        assertTrue(hub.join(Duration.ofSeconds(10)));
    }
}
