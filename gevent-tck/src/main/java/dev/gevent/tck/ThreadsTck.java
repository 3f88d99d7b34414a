package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * Greenlets as threads (gevent: one OS thread per hub, {@code gevent.monkey},
 * {@code gevent.local}): each greenlet is a virtual thread carried only by its hub's thread, so
 * greenlets never run in parallel, {@code ThreadLocal} is greenlet-local, JDK blocking calls
 * cooperate, kills and timeouts reach a greenlet blocked in one, and other threads may spawn onto
 * a hub.
 */
@GeventTck
public class ThreadsTck {

    /** The limit for a kill or timeout to end a JDK blocking call: generous, the call itself lasts far longer. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final long LONG_MS = 60_000;

    @Test
    void greenletsAreVirtualThreadsCarriedByTheHubThread() {
        Hub hub = Gevent.getHub();
        assertFalse(Thread.currentThread().isVirtual(), "the main greenlet is the hub's platform thread");
        List<Greenlet<String>> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(Gevent.spawn(() -> {
                Gevent.sleep();
                return Thread.currentThread().isVirtual() + " " + Thread.currentThread();
            }));
        }
        for (Greenlet<String> g : all) {
            String seen = g.get();
            assertTrue(seen.startsWith("true "), "not a virtual thread: " + seen);
            // A mounted virtual thread's toString() ends with "@" and the name of its carrier.
            assertTrue(seen.endsWith("@" + hub.thread().getName()), "not carried by the hub thread: " + seen);
        }
    }

    @Test
    void greenletsNeverRunInParallel() {
        int greenlets = 20;
        int rounds = 10;
        int[] counter = {0};
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        List<Greenlet<Void>> all = new ArrayList<>();
        for (int i = 0; i < greenlets; i++) {
            all.add(Gevent.spawn(() -> {
                for (int round = 0; round < rounds; round++) {
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    // A plain read-modify-write with a spin in between: parallel greenlets lose updates.
                    int read = counter[0];
                    for (int spin = 0; spin < 1_000; spin++) {
                        Thread.onSpinWait();
                    }
                    counter[0] = read + 1;
                    running.decrementAndGet();
                    // Both kinds of switch: a gevent yield, and a JDK wait whose wake-up comes from another thread.
                    if (round % 2 == 0) {
                        Gevent.sleep();
                    } else {
                        Thread.sleep(1);
                    }
                }
            }));
        }
        Gevent.joinAll(all);
        assertEquals(greenlets * rounds, counter[0]);
        assertEquals(1, mostRunning.get(), "greenlets of one hub ran in parallel");
    }

    @Test
    void threadLocalIsPerGreenlet() {
        ThreadLocal<String> local = new ThreadLocal<>();
        local.set("main");
        try {
            List<Greenlet<String>> all = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                all.add(Gevent.spawn(() -> {
                    assertNull(local.get(), "a greenlet saw another thread's value");
                    local.set(name);
                    Gevent.sleep();
                    return local.get();
                }));
            }
            List<String> seen = new ArrayList<>();
            for (Greenlet<String> g : all) {
                seen.add(g.get());
            }
            assertEquals(List.of("a", "b", "c"), seen);
            assertEquals("main", local.get());
        } finally {
            local.remove();
        }
    }

    @Test
    void fiftyGreenletsInThreadSleepSleepTogether() {
        long start = System.nanoTime();
        List<Greenlet<Void>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(Gevent.spawn(() -> {
                Thread.sleep(200);
            }));
        }
        Gevent.joinAll(all);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        for (Greenlet<Void> g : all) {
            assertTrue(g.successful(), g + " failed: " + g.exception());
        }
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "50 x Thread.sleep(200) took " + took.toMillis() + " ms");
    }

    @Test
    void reentrantLockIsHandedOverBetweenGreenlets() {
        ReentrantLock lock = new ReentrantLock();
        List<String> log = new ArrayList<>();
        Greenlet<Void> holder = Gevent.spawn(() -> {
            lock.lock();
            try {
                log.add("holder locked");
                Gevent.sleep();
                log.add("holder unlocking");
            } finally {
                lock.unlock();
            }
        });
        Greenlet<Void> contender = Gevent.spawn(() -> {
            log.add("contender waiting");
            lock.lock();
            try {
                log.add("contender locked");
            } finally {
                lock.unlock();
            }
        });
        Gevent.joinAll(List.of(holder, contender));
        assertEquals(List.of("holder locked", "contender waiting", "holder unlocking", "contender locked"), log);
    }

    @Test
    void linkedBlockingQueuePassesItemsBetweenGreenlets() {
        LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        Greenlet<List<Integer>> consumer = Gevent.spawn(() -> {
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(queue.take());
            }
            return got;
        });
        Greenlet<Void> producer = Gevent.spawn(() -> {
            for (int i = 1; i <= 3; i++) {
                Gevent.sleep();
                queue.put(i);
            }
        });
        assertEquals(List.of(1, 2, 3), consumer.get());
        producer.join();
    }

    @Test
    void synchronizedWaitAndNotifyWorkBetweenGreenlets() {
        Object monitor = new Object();
        boolean[] flag = {false};
        Greenlet<String> waiter = Gevent.spawn(() -> {
            synchronized (monitor) {
                while (!flag[0]) {
                    monitor.wait();
                }
            }
            return "notified";
        });
        Greenlet<Void> notifier = Gevent.spawn(() -> {
            synchronized (monitor) {
                flag[0] = true;
                monitor.notifyAll();
            }
        });
        assertEquals("notified", waiter.get());
        notifier.join();
    }

    @Test
    void interruptWakesAGreenletInThreadSleep() {
        Hub hub = Gevent.getHub();
        Waiter<Thread> sleeping = hub.newWaiter();
        Greenlet<String> g = Gevent.spawn(() -> {
            sleeping.switchTo(Thread.currentThread());
            try {
                Thread.sleep(LONG_MS);
                return "slept";
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        sleeping.get().interrupt();
        assertEquals("interrupted", g.get());
    }

    @Test
    void killEndsAGreenletBlockedInThreadSleepWithGreenletExit() {
        Hub hub = Gevent.getHub();
        Waiter<Void> sleeping = hub.newWaiter();
        Greenlet<String> g = Gevent.spawn(() -> {
            sleeping.switchTo(null);
            Thread.sleep(LONG_MS);
            return "slept";
        });
        sleeping.get();
        long start = System.nanoTime();
        g.kill();
        assertPromptly(start);
        assertTrue(g.dead());
        assertNull(g.exception(), "the killer saw " + g.exception());
        assertTrue(g.successful());
        assertNull(g.get());
    }

    @Test
    void killWithAnExceptionEndsAGreenletBlockedInQueueTakeWithThatException() {
        Hub hub = Gevent.getHub();
        hub.setErrorHandler((context, error) -> { });
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Waiter<Void> taking = hub.newWaiter();
        Greenlet<String> g = Gevent.spawn(() -> {
            taking.switchTo(null);
            return queue.take();
        });
        taking.get();
        IllegalStateException stop = new IllegalStateException("stop");
        long start = System.nanoTime();
        g.kill(stop);
        assertPromptly(start);
        assertSame(stop, g.exception(), "the killer saw " + g.exception());
        assertSame(stop, assertThrows(IllegalStateException.class, g::get));
    }

    @Test
    void killOfAGreenletBlockedInQueueTakeEndsItWithGreenletExit() {
        Hub hub = Gevent.getHub();
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Waiter<Void> taking = hub.newWaiter();
        Greenlet<String> g = Gevent.spawn(() -> {
            taking.switchTo(null);
            return queue.take();
        });
        taking.get();
        long start = System.nanoTime();
        g.kill();
        assertPromptly(start);
        assertTrue(g.successful(), "the killer saw " + g.exception());
    }

    /** Per Greenlet.kill: a greenlet in a JDK call is interrupted and the kill is raised at its next switch. */
    @Test
    void killOfAGreenletThatSwallowsTheInterruptIsRaisedAtItsNextSwitch() {
        Hub hub = Gevent.getHub();
        Waiter<Void> sleeping = hub.newWaiter();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean survived = new AtomicBoolean();
        AtomicReference<Throwable> raised = new AtomicReference<>();
        Greenlet<Void> g = Gevent.spawn(() -> {
            sleeping.switchTo(null);
            try {
                Thread.sleep(LONG_MS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            try {
                Gevent.sleep();
                survived.set(true);
            } catch (GreenletExit e) {
                raised.set(e);
                throw e;
            }
        });
        sleeping.get();
        g.kill();
        assertTrue(interrupted.get());
        assertInstanceOf(GreenletExit.class, raised.get());
        assertFalse(survived.get());
        assertTrue(g.successful());
    }

    @Test
    void withTimeoutEndsThreadSleepInAGreenletWithTimeout() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        long start = System.nanoTime();
        Greenlet<String> g = Gevent.spawn(() -> Gevent.withTimeout(Duration.ofMillis(50), () -> {
            Thread.sleep(LONG_MS);
            return "slept";
        }));
        assertThrows(Timeout.class, g::get);
        assertPromptly(start);
    }

    @Test
    void withTimeoutEndsQueueTakeInAGreenletWithTimeout() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        Greenlet<String> g = Gevent.spawn(() -> Gevent.withTimeout(Duration.ofMillis(50), queue::take));
        assertThrows(Timeout.class, g::get);
        assertPromptly(start);
    }

    @Test
    void withTimeoutFallbackOverQueueTakeLeavesNoTimeoutBehind() {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        Greenlet<String> g = Gevent.spawn(() -> {
            String got = Gevent.withTimeout(Duration.ofMillis(50), queue::take, "fallback");
            // The timeout was handled: nothing of it may be raised at the next switches.
            Gevent.sleep();
            Gevent.sleep(Duration.ofMillis(10));
            return got;
        });
        assertEquals("fallback", g.get());
        assertPromptly(start);
    }

    /** Per Timeout: a greenlet in a JDK call is interrupted and the timeout is raised at its next switch. */
    @Test
    void timeoutOfAGreenletThatSwallowsTheInterruptIsRaisedAtItsNextSwitch() {
        Greenlet<String> g = Gevent.spawn(() -> {
            Timeout timeout = Timeout.startNew(Duration.ofMillis(50));
            try {
                try {
                    Thread.sleep(LONG_MS);
                    return "slept";
                } catch (InterruptedException e) {
                    Gevent.sleep();
                    return "no timeout at the next switch";
                }
            } catch (Timeout t) {
                return t == timeout ? "own timeout" : "another timeout";
            } finally {
                timeout.cancel();
            }
        });
        assertEquals("own timeout", g.get());
    }

    @Test
    void plainThreadSpawnsOntoAHubBlockedInJoin() throws InterruptedException {
        Hub hub = Gevent.getHub();
        Greenlet<Void> keepsTheLoopBusy = Gevent.spawn(() -> Gevent.sleep(Duration.ofSeconds(60)));
        AtomicReference<Greenlet<String>> spawned = new AtomicReference<>();
        Thread foreign = Thread.ofPlatform().name("tck-foreign").start(() -> spawned.set(hub.spawn(() -> {
            String where = whereAmI(hub);
            keepsTheLoopBusy.kill();
            return where;
        })));
        // Returns once the spawned greenlet has killed the sleeper: nothing else ends it.
        assertTrue(hub.join());
        foreign.join();
        Greenlet<String> g = spawned.get();
        assertSame(hub, g.hub());
        assertTrue(g.dead());
        assertEquals("greenlet of this hub", g.get());
    }

    @Test
    void plainThreadSpawnsOntoAHubWaitingOnAWaiter() throws InterruptedException {
        Hub hub = Gevent.getHub();
        Waiter<String> result = hub.newWaiter();
        Thread foreign = Thread.ofPlatform().name("tck-foreign").start(() -> hub.spawn(() -> result.switchTo(whereAmI(hub))));
        // The pending timer keeps the loop polling rather than ending in LoopExit; it must not be
        // what wakes it.
        try (var _ = Timeout.startNew(Duration.ofSeconds(10))) {
            assertEquals("greenlet of this hub", result.get());
        } catch (Timeout t) {
            fail("a greenlet spawned from another thread did not run");
        }
        foreign.join();
    }

    private static String whereAmI(Hub hub) {
        Thread me = Thread.currentThread();
        boolean ok = me.isVirtual()
                && Gevent.getHub() == hub
                && me.toString().endsWith("@" + hub.thread().getName());
        return ok ? "greenlet of this hub" : "not a greenlet of this hub: " + me;
    }

    private static void assertPromptly(long startNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertTrue(took.compareTo(PROMPTLY) < 0, "took " + took.toMillis() + " ms");
    }
}
