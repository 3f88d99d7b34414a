package dev.gevent.lock;

/**
 * A semaphore that refuses to hold more permits than it started with (gevent:
 * {@code gevent.lock.BoundedSemaphore}): a {@link #release()} that would raise the counter above
 * the initial value throws {@link IllegalStateException} (gevent: {@code ValueError}, "Semaphore
 * released too many times") and changes nothing. Such a release is almost always a bug, a release
 * without its acquire.
 *
 * <p>Blocking, ordering and threads: as {@link Semaphore}.
 */
public class BoundedSemaphore extends Semaphore {
    /**
     * Creates a semaphore holding {@code value} permits, and never more.
     *
     * @param value the initial number of permits, also the most it may hold
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value, value);
    }
}
