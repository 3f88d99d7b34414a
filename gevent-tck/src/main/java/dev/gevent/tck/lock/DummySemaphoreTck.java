package dev.gevent.tck.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.lock.DummySemaphore;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link DummySemaphore} (gevent: {@code gevent.lock.DummySemaphore}): acquiring never blocks,
 * releasing never fails, it is always ready, and nothing it does switches.
 */
@GeventTck
public class DummySemaphoreTck {

    @Test
    void acquireNeverBlocksAndReleaseNeverFails() throws Exception {
        DummySemaphore sem = new DummySemaphore();
        for (int i = 0; i < 1_000; i++) {
            sem.acquire();
            assertTrue(sem.tryAcquire());
            assertTrue(sem.acquire(Duration.ZERO));
            assertTrue(sem.acquire(null));
        }
        try (var _ = sem.acquired()) {
            assertFalse(sem.locked());
        }
        for (int i = 0; i < 1_000; i++) {
            sem.release();
        }
        assertFalse(sem.locked());
        assertTrue(sem.ready());
        assertTrue(sem.counter() > 1_000_000, "counter() should report a large value, got " + sem.counter());
    }

    @Test
    void nothingItDoesSwitches() {
        DummySemaphore sem = new DummySemaphore();
        Greenlet<Void> other = Gevent.spawn(() -> { });
        sem.acquire();
        sem.acquire(Duration.ofSeconds(10));
        sem.release();
        assertFalse(other.dead(), "an acquire or release of a DummySemaphore switched");
        other.join();
    }

    @Test
    void itMayBeAcquiredInAHubCallback() {
        DummySemaphore sem = new DummySemaphore();
        AtomicBoolean acquired = new AtomicBoolean();
        Gevent.getHub().callSoon(() -> {
            sem.acquire();
            acquired.set(true);
        });
        Gevent.sleep();
        assertTrue(acquired.get());
    }

    @Test
    void aNegativeTimeoutIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DummySemaphore().acquire(Duration.ofSeconds(-1)));
    }

    @Test
    void itIsAlwaysReadyToWaitOn() {
        DummySemaphore sem = new DummySemaphore();
        assertEquals(List.of(sem), Gevent.wait(List.of(sem), Duration.ofSeconds(10), 1));
        AtomicBoolean called = new AtomicBoolean();
        sem.rawlink(() -> called.set(true));
        assertFalse(called.get(), "a rawlink callback ran inside rawlink");
        Gevent.sleep();
        assertTrue(called.get());
        assertSame(sem, Gevent.wait(List.of(sem)).getFirst());
    }
}
