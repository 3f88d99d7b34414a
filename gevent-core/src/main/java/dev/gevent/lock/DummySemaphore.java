package dev.gevent.lock;

import java.time.Duration;

/**
 * A semaphore with no limit (gevent: {@code gevent.lock.DummySemaphore}), for code that takes a
 * semaphore but should not be limited, such as an unbounded pool. Acquiring never blocks and always
 * succeeds, releasing never fails, and neither changes anything: {@link #counter()} always reports
 * {@link Integer#MAX_VALUE}, {@link #locked()} is always false and {@link #ready()} always true, so
 * a rawlink callback runs soon after it is registered.
 *
 * <p>Never blocks, never switches; safe from any thread.
 */
public class DummySemaphore extends Semaphore {
    /** Creates the semaphore. */
    public DummySemaphore() {
        super(Integer.MAX_VALUE);
    }

    /** Returns at once. */
    @Override
    public void acquire() {
    }

    /**
     * Returns true at once.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative, as for any semaphore
     */
    @Override
    public boolean acquire(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("acquire: the timeout must not be negative, got " + timeout);
        }
        return true;
    }

    /** @return true */
    @Override
    public boolean tryAcquire() {
        return true;
    }

    /** Does nothing. */
    @Override
    public void release() {
    }
}
