package dev.gevent.tck.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Timeout;
import dev.gevent.lock.RLock;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RLock} (gevent: {@code gevent.lock.RLock}): re-entrant for the greenlet that owns it, free
 * after as many releases as acquires, released only by its owner; other greenlets wait for it in
 * arrival order, and one that gives up leaves nothing behind.
 */
@GeventTck
public class RLockTck {

    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void theOwnerReentersAndAnotherGreenletWaitsUntilTheLastRelease() {
        RLock lock = new RLock();
        lock.acquire();
        lock.acquire();
        assertTrue(lock.isOwned());
        assertTrue(lock.locked());
        Greenlet<String> other = Gevent.spawn(() -> {
            lock.acquire();
            try {
                return "got it";
            } finally {
                lock.release();
            }
        });
        Gevent.sleep();
        lock.release();
        Gevent.sleep();
        assertFalse(other.dead(), "the lock was free after one release of two acquires");
        assertTrue(lock.isOwned());
        lock.release();
        assertFalse(lock.isOwned());
        assertEquals("got it", other.get());
        assertFalse(lock.locked());
    }

    @Test
    void releaseByAnotherGreenletThrows() {
        RLock lock = new RLock();
        lock.acquire();
        Greenlet<RuntimeException> intruder = Gevent.spawn(() -> {
            try {
                lock.release();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertInstanceOf(IllegalStateException.class, intruder.get());
        assertTrue(lock.isOwned(), "a failed release by another greenlet changed the owner");
        lock.release();
        assertFalse(lock.locked());
    }

    @Test
    void releaseWhenNotHeldThrows() {
        RLock lock = new RLock();
        assertThrows(IllegalStateException.class, lock::release);
        lock.acquire();
        lock.release();
        assertThrows(IllegalStateException.class, lock::release, "released more often than acquired");
        assertFalse(lock.locked());
    }

    @Test
    void acquireWithTimeoutByANonOwnerReturnsFalse() {
        RLock lock = new RLock();
        lock.acquire();
        Greenlet<List<Boolean>> other = Gevent.spawn(() -> List.of(lock.acquire(SHORT), lock.acquire(Duration.ZERO)));
        assertEquals(List.of(false, false), other.get());
        assertTrue(lock.acquire(Duration.ZERO), "the owner re-enters without blocking");
        lock.release();
        lock.release();
        Greenlet<Boolean> after = Gevent.spawn(() -> {
            boolean got = lock.acquire(SHORT);
            lock.release();
            return got;
        });
        assertTrue(after.get(), "a waiter that timed out kept the lock from the next one");
    }

    @Test
    void acquireWithTimeoutSucceedsWhenReleasedInTime() {
        RLock lock = new RLock();
        Greenlet<Void> holder = Gevent.spawn(() -> {
            lock.acquire();
            Gevent.sleep();
            lock.release();
        });
        Gevent.sleep();
        assertTrue(lock.acquire(Duration.ofSeconds(10)));
        assertTrue(lock.isOwned());
        lock.release();
        holder.join();
    }

    @Test
    void aNegativeTimeoutIsRejectedEvenForTheOwner() {
        RLock lock = new RLock();
        lock.acquire();
        assertThrows(IllegalArgumentException.class, () -> lock.acquire(Duration.ofMillis(-1)));
        lock.release();
        assertFalse(lock.locked());
    }

    @Test
    void waitersGetTheLockInArrivalOrder() {
        RLock lock = new RLock();
        lock.acquire();
        List<String> served = new ArrayList<>();
        List<Greenlet<Void>> all = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            all.add(Gevent.spawn(() -> {
                lock.acquire();
                served.add(name);
                Gevent.sleep();
                lock.release();
            }));
        }
        Gevent.sleep();
        lock.release();
        // Not barging: the main greenlet asks again while the lock is being handed to "a".
        assertFalse(lock.acquire(Duration.ZERO));
        Gevent.joinAll(all);
        assertEquals(List.of("a", "b", "c"), served);
    }

    @Test
    void aKilledWaiterLeavesTheLockFree() {
        RLock lock = new RLock();
        lock.acquire();
        Greenlet<Void> victim = Gevent.spawn(() -> lock.acquire());
        Gevent.sleep();
        victim.kill();
        lock.release();
        assertFalse(lock.locked(), "the lock went to a killed waiter");

        lock.acquire();
        Greenlet<Void> handedThenKilled = Gevent.spawn(() -> lock.acquire());
        Gevent.sleep();
        lock.release();
        Gevent.kill(handedThenKilled);
        handedThenKilled.join();
        assertFalse(lock.locked(), "the lock handed to a greenlet killed at that moment was lost");
        assertTrue(lock.acquire(Duration.ZERO));
        lock.release();
    }

    @Test
    void aTimeoutAroundAcquireRaisesAndLeavesTheLockToOthers() {
        RLock lock = new RLock();
        Greenlet<Void> holder = Gevent.spawn(() -> {
            lock.acquire();
            Gevent.sleep(Duration.ofSeconds(60));
        });
        Gevent.sleep();
        Timeout timeout = Timeout.startNew(SHORT);
        try {
            assertSame(timeout, assertThrows(Timeout.class, lock::acquire));
        } finally {
            timeout.cancel();
        }
        assertFalse(lock.isOwned());
        holder.kill();
    }

    @Test
    void acquiredReleasesAtTheEndOfTheBlockAlsoWhenItThrows() throws Exception {
        RLock lock = new RLock();
        try (var _ = lock.acquired()) {
            try (var _ = lock.acquired()) {
                assertTrue(lock.isOwned());
            }
            assertTrue(lock.isOwned(), "the inner block released the outer acquisition");
        }
        assertFalse(lock.locked());
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> {
            try (var _ = lock.acquired()) {
                throw boom;
            }
        }));
        assertFalse(lock.locked());
    }

    @Test
    void theMainGreenletOwnsWhatItAcquiresOutsideAnyGreenlet() {
        RLock lock = new RLock();
        lock.acquire();
        Greenlet<Boolean> ownedThere = Gevent.spawn(lock::isOwned);
        assertFalse(ownedThere.get());
        assertTrue(lock.isOwned());
        lock.release();
    }
}
