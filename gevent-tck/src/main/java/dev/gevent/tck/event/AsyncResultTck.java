package dev.gevent.tck.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.LoopExit;
import dev.gevent.Timeout;
import dev.gevent.event.AsyncResult;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code gevent.event.AsyncResult} within one hub: {@code set}/{@code set_exception} wake every
 * waiter, {@code get} returns the value or raises the exception (the "Exceptions" rule of the API),
 * {@code get(timeout)} and {@code get_nowait} raise {@code Timeout}, {@code wait} returns the value
 * and never raises, an AsyncResult is a {@code link} target, a second set replaces the outcome for
 * later readers, and it converts to and from {@link CompletableFuture}.
 */
@GeventTck
public class AsyncResultTck {

    private static final Duration SHORT = Duration.ofMillis(50);
    private static final Duration LONG = Duration.ofSeconds(60);

    @Test
    void pendingResultHasNothing() {
        AsyncResult<String> result = new AsyncResult<>();
        assertFalse(result.ready());
        assertFalse(result.successful());
        assertNull(result.value());
        assertNull(result.exception());
        assertThrows(Timeout.class, result::getNow);
    }

    @Test
    void setThenGetReturnsTheValue() {
        AsyncResult<Integer> result = new AsyncResult<>();
        result.set(100);
        assertTrue(result.ready());
        assertTrue(result.successful());
        assertEquals(100, result.value());
        assertNull(result.exception());
        assertEquals(100, result.get());
        assertEquals(100, result.get(SHORT));
        assertEquals(100, result.getNow());
        assertEquals(100, result.await());
    }

    @Test
    void setWakesEveryGreenletBlockedInGetOrAwaitWithoutSwitching() {
        AsyncResult<String> result = new AsyncResult<>();
        List<String> log = new ArrayList<>();
        List<Greenlet<String>> waiters = List.of(
                Gevent.spawn(() -> logged(log, "get", result.get())),
                Gevent.spawn(() -> logged(log, "get(timeout)", result.get(LONG))),
                Gevent.spawn(() -> logged(log, "await", result.await())));
        Gevent.idle();
        Greenlet<Void> setter = Gevent.spawn(() -> {
            result.set("done");
            log.add("setter after set");
            Gevent.sleep();
            log.add("setter after yield");
        });
        setter.join();
        assertEquals(List.of("setter after set", "get", "get(timeout)", "await", "setter after yield"), log);
        for (Greenlet<String> g : waiters) {
            assertEquals("done", g.get());
        }
    }

    private static String logged(List<String> log, String entry, String value) {
        log.add(entry);
        return value;
    }

    @Test
    void getRethrowsTheSameRuntimeException() {
        AsyncResult<String> result = new AsyncResult<>();
        IllegalStateException failure = new IllegalStateException("failure");
        result.setException(failure);
        assertTrue(result.ready());
        assertFalse(result.successful());
        assertNull(result.value());
        assertSame(failure, result.exception());
        assertSame(failure, assertThrows(IllegalStateException.class, result::get));
        assertSame(failure, assertThrows(IllegalStateException.class, () -> result.get(SHORT)));
        assertSame(failure, assertThrows(IllegalStateException.class, result::getNow));
    }

    @Test
    void getRethrowsTheSameError() {
        AsyncResult<String> result = new AsyncResult<>();
        StackOverflowError failure = new StackOverflowError("failure");
        result.setException(failure);
        assertSame(failure, result.exception());
        assertSame(failure, assertThrows(StackOverflowError.class, result::get));
    }

    @Test
    void getWrapsACheckedExceptionInCompletionExceptionWithTheSameCause() {
        AsyncResult<String> result = new AsyncResult<>();
        IOException failure = new IOException("failure");
        result.setException(failure);
        assertSame(failure, result.exception(), "exception() holds what was set, unwrapped");
        assertSame(failure, assertThrows(CompletionException.class, result::get).getCause());
        assertSame(failure, assertThrows(CompletionException.class, result::getNow).getCause());
    }

    @Test
    void setExceptionWakesAGreenletBlockedInGet() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        AsyncResult<String> result = new AsyncResult<>();
        IllegalStateException failure = new IllegalStateException("failure");
        Greenlet<String> waiter = Gevent.spawn(() -> result.get());
        Gevent.idle();
        result.setException(failure);
        assertSame(failure, assertThrows(IllegalStateException.class, waiter::get));
    }

    @Test
    void getWithTimeoutRaisesTimeoutWhenNotReadyInTime() {
        AsyncResult<String> result = new AsyncResult<>();
        assertThrows(Timeout.class, () -> result.get(SHORT));
        Greenlet<String> waiter = Gevent.spawn(() -> {
            try {
                return result.get(SHORT);
            } catch (Timeout t) {
                return "timed out";
            }
        });
        assertEquals("timed out", waiter.get());
        assertFalse(result.ready());
        Greenlet<String> patient = Gevent.spawn(() -> result.get(LONG));
        Gevent.idle();
        result.set("in time");
        assertEquals("in time", patient.get());
    }

    @Test
    void getNowOnAPendingResultRaisesTimeoutWithoutBlocking() {
        AsyncResult<String> result = new AsyncResult<>();
        List<String> log = new ArrayList<>();
        Gevent.spawn(() -> log.add("other ran"));
        assertThrows(Timeout.class, result::getNow);
        assertTrue(log.isEmpty(), "getNow() ran the loop");
        Gevent.getHub().join();
    }

    @Test
    void awaitReturnsTheValueAndNeverRaisesTheException() {
        AsyncResult<String> ok = new AsyncResult<>();
        Greenlet<String> waiter = Gevent.spawn(() -> ok.await());
        Gevent.idle();
        ok.set("value");
        assertEquals("value", waiter.get());
        assertEquals("value", ok.await(SHORT));

        AsyncResult<String> failed = new AsyncResult<>();
        Greenlet<String> failedWaiter = Gevent.spawn(() -> failed.await());
        Gevent.idle();
        failed.setException(new IllegalStateException("failure"));
        assertNull(failedWaiter.get(), "await() of a failed result");
        assertTrue(failedWaiter.successful());
        assertNull(failed.await());
        assertNull(failed.await(SHORT));

        AsyncResult<String> pending = new AsyncResult<>();
        assertNull(pending.await(SHORT), "await(timeout) of a result that stayed pending");
        assertFalse(pending.ready());
    }

    @Test
    void linkTargetCopiesTheGreenletsValue() {
        AsyncResult<Integer> result = new AsyncResult<>();
        Greenlet<Integer> g = Gevent.spawn(() -> 42);
        g.link(result);
        assertEquals(42, result.get());
        assertTrue(result.successful());
    }

    @Test
    void linkTargetCopiesTheGreenletsException() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        IllegalStateException failure = new IllegalStateException("failure");
        AsyncResult<Integer> result = new AsyncResult<>();
        Greenlet<Integer> g = Gevent.spawn(() -> {
            throw failure;
        });
        g.link(result);
        assertSame(failure, assertThrows(IllegalStateException.class, result::get));
        assertSame(failure, result.exception());

        IOException checked = new IOException("checked");
        AsyncResult<Integer> checkedResult = new AsyncResult<>();
        Greenlet<Integer> c = Gevent.spawn(() -> {
            throw checked;
        });
        c.link(checkedResult);
        assertSame(checked, assertThrows(CompletionException.class, checkedResult::get).getCause());
    }

    @Test
    void settingAgainReplacesTheOutcomeForLaterReaders() {
        AsyncResult<Integer> result = new AsyncResult<>();
        result.set(1);
        assertEquals(1, result.get());
        result.set(2);
        assertEquals(2, result.get());
        assertEquals(2, result.value());
        IllegalStateException failure = new IllegalStateException("failure");
        result.setException(failure);
        assertSame(failure, assertThrows(IllegalStateException.class, result::get));
        assertNull(result.value());
        result.set(3);
        assertEquals(3, result.get());
        assertNull(result.exception());
        assertTrue(result.successful());
    }

    @Test
    void toCompletableFutureCompletesWhenSet() {
        AsyncResult<String> result = new AsyncResult<>();
        CompletableFuture<String> future = result.toCompletableFuture();
        assertFalse(future.isDone());
        result.set("value");
        assertEquals("value", future.getNow(null));

        AsyncResult<String> failed = new AsyncResult<>();
        CompletableFuture<String> failedFuture = failed.toCompletableFuture();
        IllegalStateException failure = new IllegalStateException("failure");
        failed.setException(failure);
        assertTrue(failedFuture.isCompletedExceptionally());
        assertSame(failure, failedFuture.exceptionNow());
    }

    @Test
    void toCompletableFutureOfAReadyResultIsCompletedAndIndependent() {
        AsyncResult<String> result = new AsyncResult<>();
        result.set("value");
        CompletableFuture<String> future = result.toCompletableFuture();
        assertEquals("value", future.getNow(null));

        AsyncResult<String> failed = new AsyncResult<>();
        IOException failure = new IOException("failure");
        failed.setException(failure);
        assertSame(failure, failed.toCompletableFuture().exceptionNow());

        AsyncResult<String> pending = new AsyncResult<>();
        pending.toCompletableFuture().complete("from the future");
        assertFalse(pending.ready(), "completing the future set the result");
    }

    @Test
    void ofACompletedFutureIsReadyAtOnce() {
        AsyncResult<String> result = AsyncResult.of(CompletableFuture.completedFuture("value"));
        assertTrue(result.ready());
        assertEquals("value", result.getNow());

        IllegalStateException failure = new IllegalStateException("failure");
        AsyncResult<String> failed = AsyncResult.of(CompletableFuture.failedFuture(failure));
        assertSame(failure, assertThrows(IllegalStateException.class, failed::getNow));
    }

    @Test
    void ofAFutureCompletedLaterInTheHubWakesTheGetter() {
        CompletableFuture<String> future = new CompletableFuture<>();
        AsyncResult<String> result = AsyncResult.of(future);
        assertFalse(result.ready());
        Gevent.spawn(() -> future.complete("later"));
        assertEquals("later", result.get());
    }

    @Test
    void ofAnExceptionallyCompletedStageUnwrapsCompletionException() {
        IllegalStateException failure = new IllegalStateException("failure");
        CompletableFuture<String> source = new CompletableFuture<>();
        // A dependent stage whose function throws completes with a CompletionException around it.
        CompletionStage<String> derived = source.thenApply(v -> {
            throw failure;
        });
        AsyncResult<String> result = AsyncResult.of(derived);
        source.complete("input");
        assertSame(failure, result.exception());
        assertSame(failure, assertThrows(IllegalStateException.class, result::get));

        IOException checked = new IOException("checked");
        AsyncResult<String> checkedResult = AsyncResult.of(CompletableFuture.failedFuture(checked));
        assertSame(checked, checkedResult.exception());
        assertSame(checked, assertThrows(CompletionException.class, checkedResult::get).getCause());
    }

    @Test
    void asyncResultIsAWaitableForGeventWait() {
        AsyncResult<String> never = new AsyncResult<>();
        AsyncResult<String> soon = new AsyncResult<>();
        Gevent.spawn(() -> soon.set("soon"));
        assertEquals(List.of(soon), Gevent.wait(List.of(never, soon), SHORT, 0));

        Hub hub = Gevent.getHub();
        AtomicReference<Thread> ran = new AtomicReference<>();
        soon.rawlink(() -> ran.set(Thread.currentThread()));
        assertNull(ran.get(), "rawlink() on a ready result ran the callback inside rawlink()");
        Gevent.sleep();
        assertSame(hub.thread(), ran.get());
    }

    @Test
    void mainGreenletGettingAResultNobodyCanSetGetsLoopExit() {
        AsyncResult<String> result = new AsyncResult<>();
        assertThrows(LoopExit.class, result::get);
        result.set("late");
        assertEquals("late", result.get());
    }
}
