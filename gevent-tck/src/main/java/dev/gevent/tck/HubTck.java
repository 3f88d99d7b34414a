package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.Cancellable;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The hub (gevent: {@code gevent.hub.Hub}, {@code loop.run_callback}, {@code loop.timer},
 * {@code run_callback_threadsafe}, {@code Waiter}, {@code gevent.wait()}): callbacks and timers,
 * the one-shot waiter, the error reporter, closing a hub, hubs on threads of their own, and the
 * thread factory and executor that make greenlets.
 */
@GeventTck
public class HubTck {

    private static final Duration LONG = Duration.ofSeconds(60);

    private record Report(Object context, Throwable error) {
    }

    @Test
    void hubBelongsToTheCallingPlatformThread() {
        Hub hub = Gevent.getHub();
        assertSame(hub, Gevent.getHub());
        assertSame(Thread.currentThread(), hub.thread());
        assertFalse(hub.thread().isVirtual());
        assertFalse(Thread.currentThread().isVirtual());
        assertEquals(TckConfig.loopName(), hub.loopName());
    }

    @Test
    void callSoonRunsCallbacksFifoWithGreenletsInTheHubOutsideAnyGreenlet() {
        Hub hub = Gevent.getHub();
        Greenlet<?> main = Gevent.getCurrent();
        List<String> order = new ArrayList<>();
        List<Greenlet<?>> currents = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        hub.callSoon(() -> {
            order.add("a");
            currents.add(Gevent.getCurrent());
            threads.add(Thread.currentThread());
        });
        Gevent.spawn(() -> {
            order.add("greenlet");
        });
        hub.callSoon(() -> {
            order.add("b");
            currents.add(Gevent.getCurrent());
            threads.add(Thread.currentThread());
        });
        hub.join();
        assertEquals(List.of("a", "greenlet", "b"), order);
        assertEquals(List.of(main, main), currents, "getCurrent() in a hub callback is not the main greenlet");
        assertEquals(List.of(hub.thread(), hub.thread()), threads);
    }

    @Test
    void callSoonFromAGreenletOfTheHubRuns() {
        Hub hub = Gevent.getHub();
        Waiter<String> ran = hub.newWaiter();
        Gevent.spawn(() -> {
            hub.callSoon(() -> ran.switchTo("ran"));
        });
        assertEquals("ran", ran.get());
    }

    @Test
    void cancelledCallSoonNeverRuns() {
        Hub hub = Gevent.getHub();
        AtomicBoolean ran = new AtomicBoolean();
        Cancellable pending = hub.callSoon(() -> ran.set(true));
        assertTrue(pending.cancel());
        assertFalse(pending.cancel(), "a second cancel() reported that it cancelled");
        hub.join();
        assertFalse(ran.get());
        Cancellable done = hub.callSoon(() -> { });
        hub.join();
        assertFalse(done.cancel(), "cancel() after the callback ran reported that it cancelled");
    }

    @Test
    void callLaterRunsAfterTheDelayInDeadlineOrder() {
        Hub hub = Gevent.getHub();
        List<String> order = new ArrayList<>();
        long start = System.nanoTime();
        List<Long> at = new ArrayList<>();
        hub.callLater(Duration.ofMillis(60), () -> order.add("60 ms"));
        hub.callLater(Duration.ofMillis(20), () -> {
            order.add("20 ms");
            at.add(System.nanoTime() - start);
        });
        hub.callLater(Duration.ofMillis(40), () -> order.add("40 ms"));
        hub.join();
        assertEquals(List.of("20 ms", "40 ms", "60 ms"), order);
        assertTrue(at.getFirst() >= Duration.ofMillis(19).toNanos(), "a 20 ms timer fired after " + at.getFirst() + " ns");
    }

    @Test
    void cancelledCallLaterNeverRuns() {
        Hub hub = Gevent.getHub();
        AtomicBoolean ran = new AtomicBoolean();
        Cancellable timer = hub.callLater(Duration.ofMillis(10), () -> ran.set(true));
        assertTrue(timer.cancel());
        assertFalse(timer.cancel());
        Gevent.sleep(Duration.ofMillis(50));
        hub.join();
        assertFalse(ran.get());
    }

    @Test
    void callThreadSafeFromAnotherThreadWakesAHubBlockedInPoll() throws InterruptedException {
        Hub hub = Gevent.getHub();
        Waiter<Thread> woken = hub.newWaiter();
        Thread foreign = Thread.ofPlatform().name("tck-foreign").start(() -> {
            try {
                // Not synchronisation: the result is the same either way; this only makes it likely
                // that the loop is already blocked in its poll when the callback arrives.
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            hub.callThreadSafe(() -> woken.switchTo(Thread.currentThread()));
        });
        // The pending timer keeps the loop polling rather than ending in LoopExit; it must not be
        // what wakes it.
        try (var _ = Timeout.startNew(Duration.ofSeconds(10))) {
            assertSame(hub.thread(), woken.get(), "the callback did not run on the hub thread");
        } catch (Timeout t) {
            fail("callThreadSafe from another thread did not wake the loop");
        }
        foreign.join();
    }

    @Test
    void waiterSwitchedBeforeGetReturnsAtOnceAndTheFirstWakeUpWins() {
        Waiter<String> waiter = Gevent.getHub().newWaiter();
        assertFalse(waiter.ready());
        waiter.switchTo("first");
        assertTrue(waiter.ready());
        waiter.switchTo("second");
        waiter.throwInto(new IllegalStateException("ignored"));
        assertEquals("first", waiter.get());
    }

    @Test
    void waiterThrowIntoRaisesThatVeryInstanceEvenChecked() {
        Hub hub = Gevent.getHub();
        IllegalStateException runtime = new IllegalStateException("boom");
        Waiter<String> first = hub.newWaiter();
        Gevent.spawn(() -> first.throwInto(runtime));
        assertSame(runtime, assertThrows(IllegalStateException.class, first::get));

        IOException checked = new IOException("boom");
        Waiter<String> second = hub.newWaiter();
        Greenlet<Throwable> g = Gevent.spawn(() -> {
            try {
                second.get();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Gevent.sleep();
        second.throwInto(checked);
        assertSame(checked, g.get());
    }

    @Test
    void waiterWakesAGreenletFromAHubCallback() {
        Hub hub = Gevent.getHub();
        Waiter<String> waiter = hub.newWaiter();
        Greenlet<String> g = Gevent.spawn(waiter::get);
        hub.callLater(Duration.ofMillis(5), () -> waiter.switchTo("from a timer"));
        assertEquals("from a timer", g.get());
    }

    @Test
    void errorHandlerReceivesTheFailedGreenletAndItsExceptionButNotGreenletExit() {
        Hub hub = Gevent.getHub();
        List<Report> reports = new ArrayList<>();
        hub.setErrorHandler((context, error) -> reports.add(new Report(context, error)));
        IllegalStateException boom = new IllegalStateException("boom");
        Greenlet<Object> failing = Gevent.spawn(() -> {
            throw boom;
        });
        Gevent.spawn(() -> {
            throw new GreenletExit("quiet");
        });
        Greenlet<Void> killed = Gevent.spawn(() -> Gevent.sleep(LONG));
        Greenlet<Void> killedBeforeStart = Gevent.spawn(() -> Gevent.sleep(LONG));
        killedBeforeStart.kill();
        Gevent.sleep();
        killed.kill();
        hub.join();
        assertEquals(List.of(new Report(failing, boom)), reports);
    }

    @Test
    void throwingCallbackIsReportedWithTheCallbackAsContextAndTheLoopGoesOn() {
        Hub hub = Gevent.getHub();
        List<Report> reports = new ArrayList<>();
        hub.setErrorHandler((context, error) -> reports.add(new Report(context, error)));
        IllegalStateException soonBoom = new IllegalStateException("soon");
        IllegalStateException laterBoom = new IllegalStateException("later");
        Runnable throwingSoon = () -> {
            throw soonBoom;
        };
        Runnable throwingLater = () -> {
            throw laterBoom;
        };
        List<String> after = new ArrayList<>();
        hub.callSoon(throwingSoon);
        hub.callSoon(() -> after.add("next callback"));
        hub.callLater(Duration.ofMillis(5), throwingLater);
        hub.callLater(Duration.ofMillis(10), () -> after.add("next timer"));
        Greenlet<Integer> g = Gevent.spawn(() -> 7);
        hub.join();
        assertEquals(7, g.get());
        assertEquals(List.of("next callback", "next timer"), after);
        assertEquals(List.of(new Report(throwingSoon, soonBoom), new Report(throwingLater, laterBoom)), reports);
    }

    @Test
    void throwingErrorHandlerDoesNotStopTheHub() {
        Hub hub = Gevent.getHub();
        hub.setErrorHandler((context, error) -> {
            throw new IllegalStateException("the handler itself fails");
        });
        Gevent.spawn(() -> {
            throw new IllegalStateException("boom");
        }).join();
        assertEquals(7, Gevent.spawn(() -> 7).get());
        hub.join();
    }

    @Test
    void closeKillsWhatIsLeftAndTheNextGetHubMakesAFreshHub() {
        Hub first = Gevent.getHub();
        AtomicBoolean finallyRan = new AtomicBoolean();
        Greenlet<Void> sleeper = Gevent.spawn(() -> {
            try {
                Gevent.sleep(LONG);
            } finally {
                finallyRan.set(true);
            }
        });
        Gevent.sleep();
        Greenlet<Void> notYetRun = Gevent.spawn(() -> Gevent.sleep(LONG));
        first.close();
        assertTrue(finallyRan.get(), "close() did not run the finally block of a greenlet it killed");
        assertTrue(sleeper.dead());
        assertTrue(notYetRun.dead());
        first.close();

        Hub second = Gevent.getHub();
        try {
            assertNotSame(first, second);
            assertSame(Thread.currentThread(), second.thread());
            assertEquals(TckConfig.loopName(), second.loopName());
            assertEquals(5, Gevent.spawn(() -> 5).get());
        } finally {
            second.close();
        }
    }

    @Test
    void startThreadRunsAHubOnANewThreadThatEndsWhenClosed() throws InterruptedException {
        Hub hub = Gevent.getHub();
        Hub other = Hub.startThread("tck-hub-thread");
        AtomicReference<Hub> seenHub = new AtomicReference<>();
        AtomicReference<String> seenCarrier = new AtomicReference<>();
        CountDownLatch sleeping = new CountDownLatch(1);
        CountDownLatch finallyRan = new CountDownLatch(1);
        try {
            assertNotSame(hub, other);
            assertEquals("tck-hub-thread", other.thread().getName());
            assertFalse(other.thread().isVirtual());
            assertEquals(TckConfig.loopName(), other.loopName());
            Greenlet<String> g = other.spawn(() -> {
                seenHub.set(Gevent.getHub());
                seenCarrier.set(Thread.currentThread().toString());
                return "from the other hub";
            });
            assertSame(other, g.hub());
            assertEquals("from the other hub", g.get());
            assertSame(other, seenHub.get());
            assertTrue(carriedBy(seenCarrier.get(), other.thread()),
                    "not carried by the other hub's thread: " + seenCarrier.get());
            other.spawn(() -> {
                try {
                    sleeping.countDown();
                    Gevent.sleep(LONG);
                } finally {
                    finallyRan.countDown();
                }
            });
            // Plain JDK waits block this hub's thread, which has nothing to run meanwhile.
            assertTrue(sleeping.await(10, TimeUnit.SECONDS), "a greenlet spawned onto the other hub did not run");
        } finally {
            other.close();
        }
        assertTrue(finallyRan.await(10, TimeUnit.SECONDS), "close() did not kill the other hub's greenlet");
        assertTrue(other.thread().join(Duration.ofSeconds(10)), "the hub thread did not end after close()");
    }

    @Test
    void threadFactoryMakesGreenletsOfTheHub() {
        Hub hub = Gevent.getHub();
        Waiter<Thread> ran = hub.newWaiter();
        AtomicReference<Hub> seenHub = new AtomicReference<>();
        AtomicReference<String> seenCarrier = new AtomicReference<>();
        Thread t = hub.threadFactory().newThread(() -> {
            seenHub.set(Gevent.getHub());
            seenCarrier.set(Thread.currentThread().toString());
            ran.switchTo(Thread.currentThread());
        });
        assertFalse(t.isAlive(), "the factory started the thread");
        assertTrue(t.isVirtual());
        t.start();
        assertSame(t, ran.get());
        assertSame(hub, seenHub.get());
        assertTrue(carriedBy(seenCarrier.get(), hub.thread()), "not carried by the hub thread: " + seenCarrier.get());
    }

    @Test
    void executorRunsEachTaskAsAGreenletOfTheHubAndShutsDown() {
        Hub hub = Gevent.getHub();
        Greenlet<?> main = Gevent.getCurrent();
        ExecutorService executor = hub.executor();
        List<Greenlet<?>> runners = new ArrayList<>();
        try {
            Future<String> first = executor.submit(() -> describe(hub, main, runners));
            Future<String> second = executor.submit(() -> describe(hub, main, runners));
            // Future.get() parks its caller: cooperative in a greenlet, while in the main greenlet
            // (the hub's platform thread) it would stop the loop.
            assertEquals("greenlet of this hub", Gevent.spawn(() -> first.get()).get());
            assertEquals("greenlet of this hub", Gevent.spawn(() -> second.get()).get());
            assertNotSame(runners.get(0), runners.get(1), "two tasks ran in one greenlet");
        } finally {
            executor.shutdown();
        }
        assertTrue(executor.isShutdown());
        assertTrue(Gevent.spawn(() -> executor.awaitTermination(10, TimeUnit.SECONDS)).get());
        assertTrue(executor.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> executor.submit(() -> 1));

        ExecutorService another = hub.executor();
        try {
            Future<Integer> f = another.submit(() -> 2);
            assertEquals(2, Gevent.spawn(() -> f.get()).get(), "shutting one executor down affected another");
        } finally {
            another.shutdown();
        }
    }

    private static String describe(Hub hub, Greenlet<?> main, List<Greenlet<?>> runners) {
        Greenlet<?> current = Gevent.getCurrent();
        runners.add(current);
        boolean ok = Thread.currentThread().isVirtual()
                && Gevent.getHub() == hub
                && current != main
                && carriedBy(Thread.currentThread().toString(), hub.thread());
        return ok ? "greenlet of this hub" : "not a greenlet of this hub: " + Thread.currentThread();
    }

    /** A mounted virtual thread's {@code toString()} ends with "@" and the name of its carrier. */
    private static boolean carriedBy(String mountedThread, Thread carrier) {
        return mountedThread.endsWith("@" + carrier.getName());
    }

    @Test
    void aHubOnAThreadOfItsOwnClosesWhenOneOfItsGreenletsClosesIt() throws Exception {
        Hub hub = Hub.startThread("closed-from-inside");
        hub.spawn(hub::close);
        hub.thread().join(LONG);
        assertFalse(hub.thread().isAlive(), "the hub went back to polling after its own greenlet closed it");
    }
}
