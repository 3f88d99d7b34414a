package dev.gevent.tck.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.Waiter;
import dev.gevent.lock.RLock;
import dev.gevent.lock.Semaphore;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Semaphores and locks shared across threads (gevent: one hub per OS thread, and its lock objects
 * usable from any of them): a plain thread releases what a greenlet waits on, a plain thread
 * acquires on a hub of its own, greenlets of two hubs contend for one lock and never hold it at
 * the same time, and every waiter resumes on its own hub.
 *
 * <p>A wait that only another thread can end does not keep a hub alive (gevent raises LoopExit
 * there too), so a waiting hub with nothing else to do keeps a pending {@link Timeout} armed; it
 * must not be what ends the wait.
 */
@GeventTck
public class LockThreadsTck {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(20);
    private static final int GREENLETS_PER_HUB = 4;
    private static final int ROUNDS = 200;
    private static final int TRIES = 50_000;

    @Test
    void aPlainThreadReleasesASemaphoreTheMainGreenletWaitsOn() throws InterruptedException {
        Semaphore sem = new Semaphore(0);
        Thread releaser = Thread.ofPlatform().name("tck-lock-releaser").start(sem::release);
        try (var _ = Timeout.startNew(KEEP_ALIVE)) {
            sem.acquire();
        } catch (Timeout t) {
            fail("a release from a plain thread did not wake the main greenlet");
        }
        releaser.join();
        assertEquals(0, sem.counter());
    }

    @Test
    void aPlainThreadReleasesASemaphoreAGreenletWaitsOn() throws InterruptedException {
        Hub hub = Gevent.getHub();
        Semaphore sem = new Semaphore(0);
        Greenlet<Boolean> waiter = Gevent.spawn(() -> {
            sem.acquire();
            return onHubThread(hub);
        });
        Gevent.sleep();
        Thread releaser = Thread.ofPlatform().name("tck-lock-releaser").start(sem::release);
        try (var _ = Timeout.startNew(KEEP_ALIVE)) {
            assertTrue(waiter.get(), "the waiter did not resume on its own hub");
        } catch (Timeout t) {
            fail("a release from a plain thread did not wake the greenlet");
        }
        releaser.join();
    }

    @Test
    void aRawlinkCallbackRunsInTheRegisteringHubWhenAPlainThreadReleases() throws InterruptedException {
        Hub hub = Gevent.getHub();
        Semaphore sem = new Semaphore(0);
        Waiter<Thread> called = hub.newWaiter();
        sem.rawlink(() -> called.switchTo(Thread.currentThread()));
        Thread releaser = Thread.ofPlatform().name("tck-lock-releaser").start(sem::release);
        try (var _ = Timeout.startNew(KEEP_ALIVE)) {
            assertSame(hub.thread(), called.get());
        } catch (Timeout t) {
            fail("a release from a plain thread did not run the rawlink callback");
        }
        releaser.join();
    }

    @Test
    void aPlainThreadAcquiresOnAHubOfItsOwn() throws InterruptedException {
        Semaphore sem = new Semaphore(0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread acquirer = Thread.ofPlatform().name("tck-lock-acquirer").start(() -> {
            try (var _ = Timeout.startNew(KEEP_ALIVE)) {
                sem.acquire();
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                Gevent.getHub().close();
            }
        });
        Gevent.spawn(sem::release).join();
        acquirer.join();
        assertNull(failure.get(), () -> "the plain thread failed: " + failure.get());
        assertEquals(0, sem.counter());
    }

    @Test
    void aPlainThreadMayNotReleaseAnRLockAGreenletOwns() throws InterruptedException {
        RLock lock = new RLock();
        lock.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread intruder = Thread.ofPlatform().name("tck-lock-intruder").start(() -> {
            try {
                lock.release();
            } catch (Throwable t) {
                thrown.set(t);
            } finally {
                Gevent.getHub().close();
            }
        });
        intruder.join();
        assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(lock.isOwned());
        lock.release();
        assertFalse(lock.locked());
    }

    @Test
    void greenletsOfTwoHubsNeverHoldAnRLockAtOnce() {
        RLock lock = new RLock();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        contend((hub, round) -> {
            lock.acquire();
            try {
                lock.acquire();
                try {
                    enter(inside, 1, hub);
                    entries.incrementAndGet();
                } finally {
                    lock.release();
                }
                maybeYield(round);
                inside.decrementAndGet();
            } finally {
                lock.release();
            }
        });
        assertEquals(2 * GREENLETS_PER_HUB * ROUNDS, entries.get());
        assertFalse(lock.locked());
    }

    @Test
    void greenletsOfTwoHubsAndAPlainThreadShareASemaphoreWithinItsCount() throws InterruptedException {
        Semaphore sem = new Semaphore(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicReference<Throwable> plainFailure = new AtomicReference<>();
        Thread plain = Thread.ofPlatform().name("tck-lock-plain").start(() -> {
            try (var _ = Timeout.startNew(KEEP_ALIVE)) {
                Hub own = Gevent.getHub();
                for (int round = 0; round < ROUNDS; round++) {
                    sem.acquire();
                    try {
                        enter(inside, 2, own);
                        maybeYield(round);
                    } finally {
                        inside.decrementAndGet();
                        sem.release();
                    }
                }
            } catch (Throwable t) {
                plainFailure.set(t);
            } finally {
                Gevent.getHub().close();
            }
        });
        contend((hub, round) -> {
            try (var _ = sem.acquired()) {
                enter(inside, 2, hub);
                maybeYield(round);
                inside.decrementAndGet();
            }
        });
        plain.join();
        assertNull(plainFailure.get(), () -> "the plain thread failed: " + plainFailure.get());
        assertEquals(2, sem.counter());
    }

    @Test
    void tryAcquireAndReleaseFromManyPlainThreadsNeverAdmitTooMany() throws InterruptedException {
        Semaphore sem = new Semaphore(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            // Neither call blocks, so these threads need no hub of their own.
            threads.add(Thread.ofPlatform().name("tck-lock-try-" + t).start(() -> {
                try {
                    for (int i = 0; i < TRIES; i++) {
                        if (sem.tryAcquire()) {
                            try {
                                enter(inside, 2, null);
                                entries.incrementAndGet();
                            } finally {
                                inside.decrementAndGet();
                                sem.release();
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get(), () -> "a thread failed: " + failure.get());
        assertTrue(entries.get() > 0);
        assertEquals(2, sem.counter());
    }

    /** One round of a contender: runs in a greenlet of {@code hub}. */
    @FunctionalInterface
    private interface Round {
        void run(Hub hub, int round) throws Exception;
    }

    /**
     * Runs {@link #ROUNDS} rounds in each of {@link #GREENLETS_PER_HUB} greenlets on each of two
     * hub threads, and re-throws the first failure.
     */
    private static void contend(Round round) {
        try (Hub a = Hub.startThread("tck-lock-hub-a"); Hub b = Hub.startThread("tck-lock-hub-b")) {
            List<Greenlet<Void>> all = new ArrayList<>();
            for (Hub hub : List.of(a, b)) {
                for (int i = 0; i < GREENLETS_PER_HUB; i++) {
                    all.add(hub.spawn(() -> {
                        for (int r = 0; r < ROUNDS; r++) {
                            round.run(hub, r);
                            maybeYield(r + 1);
                        }
                    }));
                }
            }
            for (Greenlet<Void> g : all) {
                g.get();
            }
        }
    }

    /**
     * Yields in every other round: rounds that yield inside the section queue the other greenlets
     * of the hub behind the holder; rounds that do not make the two hub threads race for a free
     * permit.
     */
    private static void maybeYield(int round) {
        if (round % 2 == 0) {
            Gevent.sleep();
        }
    }

    /**
     * Counts the caller in and checks that at most {@code limit} are inside, and that it runs on
     * {@code hub}'s thread (unless null).
     */
    private static void enter(AtomicInteger inside, int limit, Hub hub) {
        int now = inside.incrementAndGet();
        if (now > limit) {
            throw new AssertionError(now + " strands inside a section that admits " + limit);
        }
        if (hub != null && !onHubThread(hub)) {
            throw new AssertionError(Thread.currentThread() + " resumed elsewhere than on its hub's thread " + hub.thread());
        }
        // Widens the window in which another thread could wrongly enter too.
        for (int spin = 0; spin < 200; spin++) {
            Thread.onSpinWait();
        }
    }

    /** @return true if the caller runs on {@code hub}'s thread: as its main greenlet, or as a greenlet it carries */
    private static boolean onHubThread(Hub hub) {
        Thread me = Thread.currentThread();
        // A mounted virtual thread's toString() ends with "@" and the name of its carrier.
        return me.isVirtual() ? me.toString().endsWith("@" + hub.thread().getName()) : me == hub.thread();
    }
}
