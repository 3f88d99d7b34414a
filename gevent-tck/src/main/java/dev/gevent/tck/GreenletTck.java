package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.Waiter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The life of a greenlet (gevent: {@code gevent.Greenlet}, {@code spawn}, {@code spawn_later},
 * {@code spawn_raw}, {@code getcurrent}): scheduling order, states, results, the re-raise rule of
 * {@code get()}, timeouts on {@code get} and {@code join}.
 */
@GeventTck
public class GreenletTck {

    /** Clock granularity: a loop that rounds deadlines to whole milliseconds may wake this early. */
    private static final Duration CLOCK_SLACK = Duration.ofMillis(1);

    @Test
    void greenletsStartInTheOrderTheyWereSpawned() {
        List<String> log = new ArrayList<>();
        List<Greenlet<Void>> all = List.of(
                Gevent.spawn(() -> {
                    log.add("a");
                }),
                Gevent.spawn(() -> {
                    log.add("b");
                }),
                Gevent.spawn(() -> {
                    log.add("c");
                }));
        Gevent.joinAll(all);
        assertEquals(List.of("a", "b", "c"), log);
    }

    @Test
    void spawnedGreenletDoesNotRunUntilTheSpawnerYields() {
        List<String> log = new ArrayList<>();
        Greenlet<Void> g = Gevent.spawn(() -> {
            log.add("ran");
        });
        assertTrue(log.isEmpty(), "a spawned greenlet ran before its spawner gave up control");
        assertTrue(g.started());
        assertFalse(g.dead());
        g.join();
        assertEquals(List.of("ran"), log);
    }

    @Test
    void finishedGreenletReportsItsValueAndState() {
        Hub hub = Gevent.getHub();
        Greenlet<Integer> g = Gevent.spawn(() -> 42);
        assertSame(hub, g.hub());
        assertNull(g.value());
        assertNull(g.exception());
        assertEquals(42, g.get());
        assertTrue(g.dead());
        assertTrue(g.ready());
        assertTrue(g.successful());
        assertEquals(42, g.value());
        assertNull(g.exception());
    }

    @Test
    void unstartedGreenletIsNeitherStartedNorDead() {
        Greenlet<Integer> g = Greenlet.of(() -> 1);
        assertFalse(g.started());
        assertFalse(g.dead());
        assertFalse(g.ready());
        assertFalse(g.successful());
        Gevent.sleep();
        assertFalse(g.dead(), "a greenlet that was never started ran");
    }

    @Test
    void startedStaysTrueAfterDeath() {
        Greenlet<Integer> g = Gevent.spawn(() -> 1);
        g.join();
        assertTrue(g.dead());
        assertTrue(g.started());
    }

    @Test
    void startingTwiceRunsTheFunctionOnce() {
        AtomicInteger runs = new AtomicInteger();
        Greenlet<Void> g = Greenlet.of(() -> {
            runs.incrementAndGet();
        });
        g.start();
        g.start();
        g.join();
        g.start();
        Gevent.getHub().join();
        assertEquals(1, runs.get());
    }

    @Test
    void startLaterDelaysTheStartAndALaterStartIsANoOp() {
        Duration delay = Duration.ofMillis(50);
        AtomicLong ranAt = new AtomicLong();
        Greenlet<Void> g = Greenlet.of(() -> ranAt.set(System.nanoTime()));
        long before = System.nanoTime();
        g.startLater(delay);
        assertTrue(g.started());
        g.start();
        g.join();
        assertAtLeast(delay, ranAt.get() - before);
    }

    @Test
    void spawnLaterDelaysTheStart() {
        Duration delay = Duration.ofMillis(50);
        long before = System.nanoTime();
        Greenlet<Long> g = Gevent.spawnLater(delay, System::nanoTime);
        assertTrue(g.started());
        assertAtLeast(delay, g.get() - before);
    }

    @Test
    void getRethrowsTheSameRuntimeException() {
        quietErrors();
        IllegalStateException boom = new IllegalStateException("boom");
        Greenlet<Object> g = Gevent.spawn(() -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalStateException.class, g::get));
        assertSame(boom, g.exception());
        assertFalse(g.successful());
        assertNull(g.value());
        assertTrue(g.dead());
    }

    @Test
    void getRethrowsTheSameError() {
        quietErrors();
        StackOverflowError boom = new StackOverflowError("boom");
        Greenlet<Object> g = Gevent.spawn(() -> {
            throw boom;
        });
        assertSame(boom, assertThrows(StackOverflowError.class, g::get));
        assertSame(boom, g.exception());
    }

    @Test
    void getWrapsACheckedExceptionInCompletionException() {
        quietErrors();
        IOException boom = new IOException("boom");
        Greenlet<Object> g = Gevent.spawn(() -> {
            throw boom;
        });
        CompletionException thrown = assertThrows(CompletionException.class, g::get);
        assertSame(boom, thrown.getCause());
        assertSame(boom, g.exception(), "exception() is the original, not the wrapper");
        assertSame(boom, assertThrows(CompletionException.class, g::getNow).getCause());
    }

    @Test
    void joinNeverThrowsTheGreenletsException() {
        quietErrors();
        Greenlet<Object> g = Gevent.spawn(() -> {
            throw new IllegalStateException("boom");
        });
        g.join();
        assertTrue(g.join(Duration.ofSeconds(5)));
        assertTrue(g.dead());
    }

    @Test
    void greenletExitRaisedByTheFunctionCountsAsSuccess() {
        Greenlet<Object> g = Gevent.spawn(() -> {
            throw new GreenletExit("done early");
        });
        assertNull(g.get());
        assertTrue(g.dead());
        assertTrue(g.successful());
        assertNull(g.value());
        assertNull(g.exception());
    }

    @Test
    void subclassOfGreenletExitCountsAsSuccess() {
        final class Quit extends GreenletExit {
            private static final long serialVersionUID = 1L;
        }
        Greenlet<Object> g = Gevent.spawn(() -> {
            throw new Quit();
        });
        g.join();
        assertTrue(g.successful());
        assertNull(g.exception());
    }

    @Test
    void getWithTimeoutThrowsTimeoutAndTheGreenletKeepsRunning() {
        Waiter<String> release = Gevent.getHub().newWaiter();
        Greenlet<String> g = Gevent.spawn(release::get);
        assertThrows(Timeout.class, () -> g.get(Duration.ofMillis(20)));
        assertFalse(g.dead());
        release.switchTo("released");
        assertEquals("released", g.get());
    }

    @Test
    void getNowOnALiveGreenletThrowsTimeout() {
        Waiter<String> release = Gevent.getHub().newWaiter();
        Greenlet<String> g = Gevent.spawn(release::get);
        assertThrows(Timeout.class, g::getNow, "not run yet");
        Gevent.sleep();
        assertThrows(Timeout.class, g::getNow, "blocked");
        assertFalse(g.dead());
        release.switchTo("released");
        g.join();
        assertEquals("released", g.getNow());
    }

    @Test
    void joinWithTimeoutReturnsFalseWhileAliveAndTrueOnceDead() {
        Waiter<String> release = Gevent.getHub().newWaiter();
        Greenlet<String> g = Gevent.spawn(release::get);
        assertFalse(g.join(Duration.ofMillis(20)));
        assertFalse(g.dead());
        release.switchTo("released");
        assertTrue(g.join(Duration.ofSeconds(10)));
        assertTrue(g.join(null));
    }

    @Test
    void getCurrentIsTheMainGreenletInMainAndTheGreenletItselfInsideOne() {
        Hub hub = Gevent.getHub();
        Greenlet<?> main = Gevent.getCurrent();
        assertSame(main, Gevent.getCurrent());
        assertSame(hub, main.hub());
        AtomicReference<Greenlet<?>> inside = new AtomicReference<>();
        Greenlet<Void> g = Gevent.spawn(() -> inside.set(Gevent.getCurrent()));
        g.join();
        assertSame(g, inside.get());
        assertNotSame(main, inside.get());
        assertSame(main, Gevent.getCurrent());
    }

    @Test
    void greenletsHaveDistinctNamesShownByToString() {
        Greenlet<Integer> a = Gevent.spawn(() -> 1);
        Greenlet<Integer> b = Gevent.spawn(() -> 2);
        assertFalse(a.name().isBlank());
        assertNotEquals(a.name(), b.name());
        assertTrue(a.toString().contains(a.name()), a.toString());
        Gevent.joinAll(List.of(a, b));
    }

    @Test
    void spawnRawRunsTheFunctionAsAGreenletOfTheHub() {
        Hub hub = Gevent.getHub();
        Waiter<Hub> ran = hub.newWaiter();
        AtomicReference<Boolean> virtual = new AtomicReference<>();
        Thread raw = Gevent.spawnRaw(() -> {
            virtual.set(Thread.currentThread().isVirtual());
            ran.switchTo(Gevent.getHub());
        });
        assertSame(hub, ran.get());
        assertTrue(virtual.get());
        assertTrue(raw.isVirtual());
    }

    @Test
    void checkedExceptionOfAGreenletIsWrappedByGetWithTimeoutToo() {
        quietErrors();
        IOException boom = new IOException("boom");
        Greenlet<Object> g = Gevent.spawn(() -> {
            throw boom;
        });
        g.join();
        assertSame(boom, assertThrows(CompletionException.class, () -> g.get(Duration.ofSeconds(1))).getCause());
        assertInstanceOf(IOException.class, g.exception());
    }

    private static void assertAtLeast(Duration expected, long elapsedNanos) {
        assertTrue(elapsedNanos >= expected.minus(CLOCK_SLACK).toNanos(),
                "waited only " + Duration.ofNanos(elapsedNanos).toMillis() + " ms of " + expected.toMillis() + " ms");
    }

    /** Failures in these tests are on purpose: keep them off stderr. */
    private static void quietErrors() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
    }
}
