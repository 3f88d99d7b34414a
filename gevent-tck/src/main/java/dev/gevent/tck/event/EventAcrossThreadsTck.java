package dev.gevent.tck.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.event.AsyncResult;
import dev.gevent.event.Event;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code Event} and {@code AsyncResult} shared by plain threads and several hubs (gevent: one hub
 * per OS thread; API "Ordering and threads"): a plain thread's set wakes a greenlet, which resumes
 * on its own hub's thread; waiters of several hubs on one object are each resumed on their own hub;
 * a rawlink callback runs in the hub that registered it; {@code AsyncResult.of} keeps its hub alive
 * until another thread completes the stage.
 *
 * <p>A wait that only another thread can end does not keep a hub alive (as in gevent), so the
 * main greenlet of such a test keeps a {@link Timeout} pending while it waits: the timer keeps the
 * loop polling, and it fails the test only if the wake-up never comes.
 */
@GeventTck
public class EventAcrossThreadsTck {

    /** Only a lost wake-up lets this guard fire. */
    private static final Duration GUARD = Duration.ofSeconds(10);

    @Test
    void plainThreadSetsAnEventAGreenletAwaitsAndTheGreenletResumesOnItsHub() throws InterruptedException {
        Hub hub = Gevent.getHub();
        Event event = new Event();
        Greenlet<String> waiter = Gevent.spawn(() -> {
            event.await();
            return whereAmI(hub);
        });
        Gevent.idle();
        Thread setter = Thread.ofPlatform().name("tck-setter").start(event::set);
        try (var _ = Timeout.startNew(GUARD)) {
            assertEquals("greenlet of this hub", waiter.get());
        } catch (Timeout t) {
            fail("a set() from a plain thread did not wake the greenlet");
        } finally {
            setter.join();
        }
    }

    @Test
    void plainThreadSetsAnEventTheMainGreenletAwaits() throws InterruptedException {
        Event event = new Event();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread setter = Thread.ofPlatform().name("tck-setter").start(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                return;
            }
            event.set();
        });
        // Runs only once the main greenlet is inside await(), running the loop.
        Gevent.getHub().callSoon(waiting::countDown);
        try (var _ = Timeout.startNew(GUARD)) {
            event.await();
        } catch (Timeout t) {
            fail("a set() from a plain thread did not wake the main greenlet");
        } finally {
            waiting.countDown();
            setter.join();
        }
    }

    @Test
    void waitersOfTwoHubsOnOneEventAreEachResumedOnTheirOwnHubThread() {
        Hub first = Hub.startThread("tck-event-hub-1");
        Hub second = Hub.startThread("tck-event-hub-2");
        try {
            Event event = new Event();
            List<Greenlet<String>> waiters = new ArrayList<>();
            List<AtomicReference<Thread>> threads = new ArrayList<>();
            for (Hub hub : List.of(first, second, first, second)) {
                AtomicReference<Thread> thread = new AtomicReference<>();
                threads.add(thread);
                waiters.add(hub.spawn(() -> {
                    thread.set(Thread.currentThread());
                    event.await();
                    return whereAmI(hub);
                }));
            }
            threads.forEach(EventAcrossThreadsTck::awaitParked);
            event.set();
            for (Greenlet<String> g : waiters) {
                assertEquals("greenlet of this hub", g.get(), "a waiter of " + g.hub());
            }
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void rawlinkCallbackRunsInTheHubThatRegisteredIt() {
        Hub other = Hub.startThread("tck-event-linker");
        try {
            Event event = new Event();
            AsyncResult<Thread> ranOn = new AsyncResult<>();
            other.spawn(() -> event.rawlink(() -> ranOn.set(Thread.currentThread()))).get();
            event.set();
            try (var _ = Timeout.startNew(GUARD)) {
                assertSame(other.thread(), ranOn.get());
            } catch (Timeout t) {
                fail("the callback linked by the other hub did not run");
            }
        } finally {
            other.close();
        }
    }

    @Test
    void plainThreadSetsAnAsyncResultAGreenletGetsOnItsHub() throws InterruptedException {
        Hub hub = Gevent.getHub();
        hub.setErrorHandler((context, error) -> { });
        AsyncResult<String> result = new AsyncResult<>();
        AsyncResult<String> failed = new AsyncResult<>();
        IllegalStateException failure = new IllegalStateException("failure");
        Greenlet<String> getter = Gevent.spawn(() -> result.get() + " in " + whereAmI(hub));
        Greenlet<String> failedGetter = Gevent.spawn(() -> failed.get());
        Gevent.idle();
        Thread setter = Thread.ofPlatform().name("tck-setter").start(() -> {
            result.set("value");
            failed.setException(failure);
        });
        try (var _ = Timeout.startNew(GUARD)) {
            assertEquals("value in greenlet of this hub", getter.get());
            failedGetter.join();
        } catch (Timeout t) {
            fail("a set() from a plain thread did not wake the greenlet");
        } finally {
            setter.join();
        }
        assertSame(failure, assertThrows(IllegalStateException.class, failedGetter::get));
    }

    @Test
    void greenletOfAnotherHubSetsAnAsyncResultAGreenletHereGets() {
        Hub hub = Gevent.getHub();
        Hub other = Hub.startThread("tck-event-setter");
        try {
            AsyncResult<String> result = new AsyncResult<>();
            Greenlet<String> getter = Gevent.spawn(() -> result.get() + " in " + whereAmI(hub));
            Gevent.idle();
            other.spawn(() -> result.set(whereAmI(other)));
            try (var _ = Timeout.startNew(GUARD)) {
                assertEquals("greenlet of this hub in greenlet of this hub", getter.get());
            } catch (Timeout t) {
                fail("a set() from another hub did not wake the greenlet");
            }
        } finally {
            other.close();
        }
    }

    @Test
    void ofAFutureCompletedLaterByAnotherThreadKeepsTheHubAliveWithoutAnyGuard() throws InterruptedException {
        CompletableFuture<String> future = new CompletableFuture<>();
        AsyncResult<String> result = AsyncResult.of(future);
        CountDownLatch waiting = new CountDownLatch(1);
        Thread completer = Thread.ofPlatform().name("tck-completer").start(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                return;
            }
            future.complete("from another thread");
        });
        // Runs once the main greenlet is inside get(), whose loop then has nothing left but the
        // future: without of() keeping the hub alive, get() would end in LoopExit here.
        Gevent.getHub().callSoon(waiting::countDown);
        try {
            assertEquals("from another thread", result.get());
        } finally {
            waiting.countDown();
            completer.join();
        }
    }

    @Test
    void ofAFutureFailedLaterByAnotherThreadRaisesTheSameException() throws InterruptedException {
        CompletableFuture<String> future = new CompletableFuture<>();
        AsyncResult<String> result = AsyncResult.of(future);
        IllegalStateException failure = new IllegalStateException("failure");
        CountDownLatch waiting = new CountDownLatch(1);
        Thread completer = Thread.ofPlatform().name("tck-completer").start(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                return;
            }
            future.completeExceptionally(failure);
        });
        Gevent.getHub().callSoon(waiting::countDown);
        try {
            assertSame(failure, assertThrows(IllegalStateException.class, result::get));
        } finally {
            waiting.countDown();
            completer.join();
        }
    }

    @Test
    void toCompletableFutureLetsAPlainThreadWaitForAGreenletsResult() throws Exception {
        AsyncResult<String> result = new AsyncResult<>();
        CompletableFuture<String> future = result.toCompletableFuture();
        AtomicReference<String> seen = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().name("tck-reader").start(() -> seen.set(future.join()));
        Gevent.spawn(() -> result.set("from a greenlet")).join();
        reader.join();
        assertEquals("from a greenlet", seen.get());
    }

    /**
     * Spins until the greenlet whose thread {@code published} will hold is parked: a greenlet of
     * another hub that published its thread and went straight into a wait is parked in that wait.
     */
    private static void awaitParked(AtomicReference<Thread> published) {
        Thread t;
        while ((t = published.get()) == null || t.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
    }

    private static String whereAmI(Hub hub) {
        Thread me = Thread.currentThread();
        boolean ok = me.isVirtual()
                && Gevent.getHub() == hub
                // A mounted virtual thread's toString() ends with "@" and the name of its carrier.
                && me.toString().endsWith("@" + hub.thread().getName());
        return ok ? "greenlet of this hub" : "not a greenlet of " + hub + ": " + me;
    }
}
