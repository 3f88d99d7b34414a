package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Timeout;
import dev.gevent.Waiter;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Timeouts (gevent: {@code gevent.Timeout}, {@code with_timeout}): a timeout raises itself, or
 * the exception it was given, at the blocking point of the greenlet that started it; timeouts
 * nest and each raises its own instance; a cancelled one never fires.
 */
@GeventTck
public class TimeoutTck {

    private static final Duration SHORT = Duration.ofMillis(20);
    private static final Duration LONG = Duration.ofSeconds(60);

    @Test
    void timeoutRaisesItselfAtTheBlockingPoint() {
        Timeout timeout = Timeout.startNew(SHORT);
        assertTrue(timeout.pending());
        Throwable caught = null;
        try {
            Gevent.sleep(LONG);
        } catch (Timeout t) {
            caught = t;
        } finally {
            timeout.cancel();
        }
        assertSame(timeout, caught);
        assertFalse(timeout.pending());
        assertTrue(timeout.fired());
        assertEquals(SHORT, timeout.seconds());
    }

    @Test
    void timeoutWakesAGreenletBlockedOnAWaiter() {
        Waiter<String> never = Gevent.getHub().newWaiter();
        Greenlet<String> g = Gevent.spawn(() -> {
            try (var _ = Timeout.startNew(SHORT)) {
                return never.get();
            } catch (Timeout t) {
                return "timed out";
            }
        });
        assertEquals("timed out", g.get());
    }

    @Test
    void innerTimeoutFiringFirstIsCaughtByTheInnerAndLeavesTheOuterPending() {
        Timeout outer = Timeout.startNew(LONG);
        try {
            Timeout inner = Timeout.startNew(SHORT);
            Throwable caught = null;
            try {
                Gevent.sleep(LONG);
            } catch (Timeout t) {
                caught = t;
            } finally {
                inner.cancel();
            }
            assertSame(inner, caught);
            assertTrue(outer.pending(), "the outer timeout is no longer pending after the inner one fired");
            assertFalse(outer.fired());
        } finally {
            outer.cancel();
        }
    }

    @Test
    void outerTimeoutFiringFirstPassesThroughTheInnerCatch() {
        Timeout outer = Timeout.startNew(SHORT);
        Timeout inner = null;
        Throwable seenByInner = null;
        Throwable seenByOuter = null;
        try {
            inner = Timeout.startNew(LONG);
            try {
                Gevent.sleep(LONG);
            } catch (Timeout t) {
                seenByInner = t;
                if (t != inner) {
                    throw t;
                }
                fail("the inner timeout fired before the outer one");
            } finally {
                inner.cancel();
            }
        } catch (Timeout t) {
            seenByOuter = t;
        } finally {
            outer.cancel();
        }
        assertSame(outer, seenByInner, "the inner catch saw another instance than the outer timeout");
        assertSame(outer, seenByOuter);
        assertFalse(inner.pending());
        assertFalse(inner.fired());
    }

    @Test
    void cancelledTimeoutNeverFires() {
        Timeout timeout = Timeout.startNew(Duration.ofMillis(10));
        timeout.cancel();
        assertFalse(timeout.pending());
        Gevent.sleep(Duration.ofMillis(50));
        assertFalse(timeout.fired());
        timeout.cancel();
    }

    @Test
    void closeCancelsLikeCancel() {
        Timeout kept;
        try (Timeout timeout = Timeout.startNew(Duration.ofMillis(10))) {
            kept = timeout;
            assertTrue(timeout.pending());
        }
        assertFalse(kept.pending());
        Gevent.sleep(Duration.ofMillis(50));
        assertFalse(kept.fired());
    }

    @Test
    void timeoutWithACustomExceptionRaisesThatVeryInstance() {
        IllegalStateException boom = new IllegalStateException("boom");
        Timeout timeout = Timeout.startNew(SHORT, boom);
        assertSame(boom, timeout.raised());
        IllegalStateException caught = null;
        try {
            Gevent.sleep(LONG);
        } catch (IllegalStateException e) {
            caught = e;
        } finally {
            timeout.cancel();
        }
        assertSame(boom, caught);
    }

    @Test
    void timeoutWithACheckedExceptionRaisesThatVeryInstanceUnwrapped() {
        IOException boom = new IOException("boom");
        Throwable caught = null;
        // Gevent.sleep declares no IOException: only a catch of Throwable can see it.
        try (var _ = Timeout.startNew(SHORT, boom)) {
            Gevent.sleep(LONG);
        } catch (Throwable t) {
            caught = t;
        }
        assertSame(boom, caught);
    }

    @Test
    void greenletEndedByACheckedTimeoutExceptionFollowsTheGetRule() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        IOException boom = new IOException("boom");
        Greenlet<Void> g = Gevent.spawn(() -> {
            Timeout.startNew(SHORT, boom);
            Gevent.sleep(LONG);
        });
        g.join();
        assertSame(boom, g.exception());
        assertSame(boom, assertThrows(CompletionException.class, g::get).getCause());
    }

    @Test
    void startingAPendingTimeoutThrowsIllegalStateExceptionAndACancelledOneRestarts() {
        Timeout timeout = Timeout.startNew(LONG);
        try {
            assertThrows(IllegalStateException.class, timeout::start);
            assertTrue(timeout.pending());
            timeout.cancel();
            timeout.start();
            assertTrue(timeout.pending());
        } finally {
            timeout.cancel();
        }
    }

    @Test
    void timeoutOfNullSecondsNeverFiresAndIsNeverPending() {
        Timeout timeout = new Timeout(null);
        assertNull(timeout.seconds());
        timeout.start();
        assertFalse(timeout.pending());
        Gevent.sleep(SHORT);
        assertFalse(timeout.fired());
        timeout.start();
        timeout.cancel();
        try (Timeout other = Timeout.startNew(null)) {
            assertFalse(other.pending());
            Gevent.sleep(SHORT);
        }
    }

    @Test
    void timeoutCancelledAfterTheBlockEndedDoesNotFireLater() {
        try (var _ = Timeout.startNew(Duration.ofMillis(30))) {
            Gevent.sleep(Duration.ofMillis(1));
        }
        Gevent.sleep(Duration.ofMillis(80));
    }

    @Test
    void timeoutAppliesToTheGreenletThatStartedItOnly() {
        AtomicReference<Timeout> started = new AtomicReference<>();
        Greenlet<String> owner = Gevent.spawn(() -> {
            started.set(Timeout.startNew(SHORT));
            try {
                Gevent.sleep(LONG);
                return "slept";
            } catch (Timeout t) {
                return t == started.get() ? "own timeout" : "foreign timeout";
            }
        });
        Greenlet<String> bystander = Gevent.spawn(() -> {
            Gevent.sleep(Duration.ofMillis(60));
            return "undisturbed";
        });
        assertEquals("own timeout", owner.get());
        assertEquals("undisturbed", bystander.get());
    }

    @Test
    void withTimeoutReturnsTheValue() {
        assertEquals(42, Gevent.withTimeout(Duration.ofSeconds(10), () -> 42));
        assertEquals(43, Gevent.withTimeout(null, () -> 43));
    }

    @Test
    void withTimeoutThrowsTimeoutWhenTheTimeElapses() {
        assertThrows(Timeout.class, () -> Gevent.withTimeout(SHORT, () -> {
            Gevent.sleep(LONG);
            return 1;
        }));
    }

    @Test
    void withTimeoutReturnsTheFallbackWhenTheTimeElapses() {
        assertEquals(-1, Gevent.withTimeout(SHORT, () -> {
            Gevent.sleep(LONG);
            return 1;
        }, -1));
        assertEquals(1, Gevent.withTimeout(Duration.ofSeconds(10), () -> 1, -1));
    }

    @Test
    void withTimeoutLeavesNoTimerBehind() {
        assertEquals(1, Gevent.withTimeout(Duration.ofMillis(30), () -> 1));
        Gevent.sleep(Duration.ofMillis(80));
    }

    @Test
    void withTimeoutPassesTheFunctionsExceptionsOnByTheGetRule() {
        IllegalStateException runtime = new IllegalStateException("boom");
        assertSame(runtime, assertThrows(IllegalStateException.class, () -> Gevent.withTimeout(Duration.ofSeconds(10), () -> {
            throw runtime;
        })));
        IOException checked = new IOException("boom");
        assertSame(checked, assertThrows(CompletionException.class, () -> Gevent.withTimeout(Duration.ofSeconds(10), () -> {
            throw checked;
        })).getCause());
    }
}
