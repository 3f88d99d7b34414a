package dev.gevent.tck.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.lock.BoundedSemaphore;
import dev.gevent.tck.GeventTck;
import org.junit.jupiter.api.Test;

/**
 * {@link BoundedSemaphore} (gevent: {@code gevent.lock.BoundedSemaphore}): a release above the
 * initial value is an {@link IllegalStateException} naming the bound (gevent: {@code ValueError})
 * and leaves the counter unchanged; otherwise it behaves as a semaphore.
 */
@GeventTck
public class BoundedSemaphoreTck {

    @Test
    void releaseAboveTheInitialValueThrowsAndChangesNothing() {
        BoundedSemaphore sem = new BoundedSemaphore(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertTrue(e.getMessage().contains("2"), "the message does not name the bound: " + e.getMessage());
        assertEquals(2, sem.counter());
        sem.acquire();
        sem.release();
        assertThrows(IllegalStateException.class, sem::release);
        assertEquals(2, sem.counter());
    }

    @Test
    void aBoundOfZeroRefusesEveryRelease() {
        BoundedSemaphore sem = new BoundedSemaphore(0);
        assertThrows(IllegalStateException.class, sem::release);
        assertEquals(0, sem.counter());
    }

    @Test
    void aNegativeInitialValueIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
    }

    @Test
    void aReleaseHandedToAWaiterCountsAgainstTheBound() {
        BoundedSemaphore sem = new BoundedSemaphore(1);
        sem.acquire();
        Greenlet<Void> waiter = Gevent.spawn(() -> {
            sem.acquire();
            sem.release();
        });
        Gevent.sleep();
        sem.release();
        waiter.join();
        assertEquals(1, sem.counter());
        assertThrows(IllegalStateException.class, sem::release);
        assertEquals(1, sem.counter());
    }

    @Test
    void aKilledWaiterGivesItsPermitBackWithinTheBound() {
        BoundedSemaphore sem = new BoundedSemaphore(1);
        sem.acquire();
        Greenlet<Void> victim = Gevent.spawn(() -> sem.acquire());
        Gevent.sleep();
        sem.release();
        Gevent.kill(victim);
        victim.join();
        assertEquals(1, sem.counter());
        assertThrows(IllegalStateException.class, sem::release);
    }
}
