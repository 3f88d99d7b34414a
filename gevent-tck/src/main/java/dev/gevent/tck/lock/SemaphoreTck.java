package dev.gevent.tck.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.BlockingSwitchOutError;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Timeout;
import dev.gevent.lock.Semaphore;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Semaphore} (gevent: {@code gevent.lock.Semaphore}): a counter of permits; acquire blocks
 * the calling greenlet at zero; a release hands its permit to the longest waiter, which nobody can
 * overtake; a waiter that times out or is killed leaves nothing behind and loses no permit.
 */
@GeventTck
public class SemaphoreTck {

    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void counterAndLockedFollowAcquireAndRelease() {
        Semaphore sem = new Semaphore(2);
        assertEquals(2, sem.counter());
        assertFalse(sem.locked());
        assertTrue(sem.ready());
        sem.acquire();
        assertTrue(sem.tryAcquire());
        assertEquals(0, sem.counter());
        assertTrue(sem.locked());
        assertFalse(sem.ready());
        assertFalse(sem.tryAcquire());
        sem.release();
        assertEquals(1, sem.counter());
        sem.release();
        sem.release();
        assertEquals(3, sem.counter(), "a plain semaphore has no bound");
    }

    @Test
    void negativeArgumentsAreRejectedNamingTheValue() {
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertTrue(value.getMessage().contains("-1"), value.getMessage());
        Semaphore sem = new Semaphore(0);
        Duration negative = Duration.ofMillis(-5);
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class, () -> sem.acquire(negative));
        assertTrue(timeout.getMessage().contains(negative.toString()), timeout.getMessage());
    }

    @Test
    void acquireBlocksAtZeroAndResumesOnRelease() {
        Semaphore sem = new Semaphore(0);
        Greenlet<String> waiter = Gevent.spawn(() -> {
            sem.acquire();
            return "acquired";
        });
        Gevent.sleep();
        assertFalse(waiter.dead(), "acquire at zero returned");
        sem.release();
        assertEquals("acquired", waiter.get());
        assertEquals(0, sem.counter(), "the released permit went to the waiter");
    }

    @Test
    void theMainGreenletBlocksUntilAGreenletReleases() {
        Semaphore sem = new Semaphore(0);
        Gevent.spawn(sem::release);
        sem.acquire();
        assertEquals(0, sem.counter());
    }

    @Test
    void releaseMakesTheWaiterRunnableWithoutSwitching() {
        Semaphore sem = new Semaphore(0);
        List<String> log = new ArrayList<>();
        Greenlet<Void> waiter = Gevent.spawn(() -> {
            sem.acquire();
            log.add("waiter");
        });
        Gevent.sleep();
        sem.release();
        log.add("releaser");
        waiter.join();
        assertEquals(List.of("releaser", "waiter"), log);
    }

    @Test
    void waitersAreServedInArrivalOrderOnePerRelease() {
        Semaphore sem = new Semaphore(0);
        List<String> arrived = new ArrayList<>();
        List<String> served = new ArrayList<>();
        List<Greenlet<Void>> all = new ArrayList<>();
        for (String name : List.of("c", "a", "b")) {
            all.add(Gevent.spawn(() -> {
                arrived.add(name);
                sem.acquire();
                served.add(name);
            }));
        }
        Gevent.sleep();
        assertEquals(List.of("c", "a", "b"), arrived);
        for (int i = 1; i <= 3; i++) {
            sem.release();
            Gevent.sleep();
            assertEquals(arrived.subList(0, i), served, "after " + i + " release(s)");
        }
        Gevent.joinAll(all);
    }

    @Test
    void threeReleasesInARowServeThreeWaitersInArrivalOrder() {
        Semaphore sem = new Semaphore(0);
        List<String> served = new ArrayList<>();
        List<Greenlet<Void>> all = new ArrayList<>();
        for (String name : List.of("first", "second", "third")) {
            all.add(Gevent.spawn(() -> {
                sem.acquire();
                served.add(name);
            }));
        }
        Gevent.sleep();
        sem.release();
        sem.release();
        sem.release();
        Gevent.joinAll(all);
        assertEquals(List.of("first", "second", "third"), served);
        assertEquals(0, sem.counter());
    }

    @Test
    void aGreenletArrivingAfterAReleaseDoesNotBargeAheadOfTheWaiter() {
        Semaphore sem = new Semaphore(1);
        sem.acquire();
        List<String> served = new ArrayList<>();
        Greenlet<Void> waiter = Gevent.spawn(() -> {
            sem.acquire();
            served.add("waiter");
            sem.release();
        });
        Gevent.sleep();
        sem.release();
        // The permit is the waiter's although it has not run yet.
        assertEquals(0, sem.counter());
        assertFalse(sem.tryAcquire(), "tryAcquire took the permit handed to the waiter");
        assertFalse(sem.acquire(Duration.ZERO), "acquire(ZERO) took the permit handed to the waiter");
        Greenlet<Void> latecomer = Gevent.spawn(() -> {
            sem.acquire();
            served.add("latecomer");
            sem.release();
        });
        Gevent.joinAll(List.of(waiter, latecomer));
        assertEquals(List.of("waiter", "latecomer"), served);
        assertEquals(1, sem.counter());
    }

    @Test
    void acquireWithTimeoutReturnsFalseAndLeavesNoWaiterBehind() {
        Semaphore sem = new Semaphore(0);
        assertFalse(sem.acquire(SHORT));
        assertFalse(sem.acquire(Duration.ZERO));
        Greenlet<Boolean> timedOut = Gevent.spawn(() -> sem.acquire(SHORT));
        assertFalse(timedOut.get());
        sem.release();
        assertEquals(1, sem.counter(), "the permit went to a waiter that had timed out");
    }

    @Test
    void acquireWithTimeoutSucceedsWhenReleasedInTime() {
        Semaphore sem = new Semaphore(0);
        Gevent.spawn(sem::release);
        assertTrue(sem.acquire(Duration.ofSeconds(10)));
        assertEquals(0, sem.counter());
    }

    @Test
    void killingABlockedAcquirerLeavesNoWaiterAndLosesNoPermit() {
        Semaphore sem = new Semaphore(0);
        Greenlet<Void> victim = Gevent.spawn(() -> sem.acquire());
        Greenlet<Void> behind = Gevent.spawn(() -> sem.acquire());
        Gevent.sleep();
        victim.kill();
        assertTrue(victim.successful(), "a GreenletExit counts as success");
        sem.release();
        behind.join();
        assertEquals(0, sem.counter(), "the permit went to the greenlet queued behind the killed one");
        sem.release();
        assertEquals(1, sem.counter(), "a permit went to the killed greenlet");
    }

    @Test
    void aKillLandingAsThePermitIsHandedOverPassesThePermitOn() {
        Semaphore sem = new Semaphore(0);
        List<String> served = new ArrayList<>();
        Greenlet<Void> victim = Gevent.spawn(() -> {
            sem.acquire();
            served.add("victim");
        });
        Greenlet<Void> behind = Gevent.spawn(() -> {
            sem.acquire();
            served.add("behind");
        });
        Gevent.sleep();
        // The victim is handed the permit and made runnable, then killed before it runs.
        sem.release();
        Gevent.kill(victim);
        Gevent.joinAll(List.of(victim, behind));
        assertTrue(victim.successful());
        assertEquals(List.of("behind"), served);
        assertEquals(0, sem.counter());

        Greenlet<Void> alone = Gevent.spawn(() -> sem.acquire());
        Gevent.sleep();
        sem.release();
        Gevent.kill(alone);
        alone.join();
        assertEquals(1, sem.counter(), "the permit handed to the killed greenlet was lost");
    }

    @Test
    void aTimeoutAroundAcquireRaisesAndLosesNoPermit() {
        Semaphore sem = new Semaphore(0);
        Timeout timeout = Timeout.startNew(SHORT);
        try {
            Timeout raised = assertThrows(Timeout.class, sem::acquire);
            assertSame(timeout, raised);
        } finally {
            timeout.cancel();
        }
        sem.release();
        assertEquals(1, sem.counter());
    }

    @Test
    void aTimeoutInAGreenletLetsTheWaiterBehindItGetThePermit() {
        Semaphore sem = new Semaphore(0);
        Greenlet<Boolean> impatient = Gevent.spawn(() -> Gevent.withTimeout(SHORT, () -> {
            sem.acquire();
            return true;
        }, false));
        Greenlet<Void> patient = Gevent.spawn(() -> sem.acquire());
        assertFalse(impatient.get());
        sem.release();
        patient.join();
        assertEquals(0, sem.counter());
    }

    @Test
    void aHubCallbackMayTakeAFreePermitButNotBlock() {
        Semaphore sem = new Semaphore(1);
        List<Object> seen = new ArrayList<>();
        Gevent.getHub().callSoon(() -> {
            seen.add(sem.tryAcquire());
            try {
                sem.acquire();
                seen.add("acquired");
            } catch (BlockingSwitchOutError e) {
                seen.add("refused");
            }
        });
        Gevent.sleep();
        assertEquals(List.of(true, "refused"), seen);
        sem.release();
        assertEquals(1, sem.counter(), "the refused acquire left a waiter behind");
    }

    @Test
    void acquiredReleasesAtTheEndOfTheBlockAlsoWhenItThrows() throws Exception {
        Semaphore sem = new Semaphore(1);
        try (var _ = sem.acquired()) {
            assertEquals(0, sem.counter());
        }
        assertEquals(1, sem.counter());
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (var _ = sem.acquired()) {
                assertEquals(0, sem.counter());
                throw boom;
            }
        });
        assertSame(boom, thrown);
        assertEquals(1, sem.counter());
    }

    @Test
    void acquiredBlocksLikeAcquire() {
        Semaphore sem = new Semaphore(1);
        List<String> log = new ArrayList<>();
        List<Greenlet<Void>> all = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            all.add(Gevent.spawn(() -> {
                try (var _ = sem.acquired()) {
                    log.add(name + " in");
                    Gevent.sleep();
                    log.add(name + " out");
                }
            }));
        }
        Gevent.joinAll(all);
        assertEquals(List.of("a in", "a out", "b in", "b out"), log);
        assertEquals(1, sem.counter());
    }
}
