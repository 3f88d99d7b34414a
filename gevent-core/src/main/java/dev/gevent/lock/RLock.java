package dev.gevent.lock;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import java.time.Duration;

/**
 * A re-entrant lock owned by a greenlet (gevent: {@code gevent.lock.RLock}): the greenlet that
 * holds it ({@link Gevent#getCurrent()}; on a hub's thread outside any greenlet, its main greenlet)
 * may acquire it again, and it is free once that greenlet released it as many times as it
 * acquired it. Only the owner may release it.
 *
 * <p><b>Blocking.</b> {@code acquire} blocks only the calling greenlet, and only while another
 * greenlet owns the lock; {@link #release()} never blocks and never switches.
 *
 * <p><b>Ordering.</b> Greenlets waiting for the lock get it in the order they asked, with no
 * barging, and a waiter that times out or is killed leaves nothing behind: see {@link Semaphore},
 * which it is built on.
 *
 * <p><b>Threads.</b> One lock may be shared by greenlets of different hubs and by plain threads
 * (each plain thread is the main greenlet of its own hub); a waiter is resumed on its own hub.
 */
public class RLock {
    private final Semaphore block = new Semaphore(1);
    /** Set only by the greenlet that took {@link #block}; volatile so that others see who holds it. */
    private volatile Greenlet<?> owner;
    /** Touched only by the owner; the hand-over through {@link #block} publishes it to the next one. */
    private int count;
    /** Made once, so that {@link #acquired()} allocates nothing. */
    private final AutoCloseable releaser = this::release;

    /** Creates a free lock. */
    public RLock() {
    }

    /** Acquires the lock, blocking the calling greenlet while another greenlet owns it. */
    public void acquire() {
        acquire(null);
    }

    /**
     * Acquires the lock, blocking the calling greenlet at most {@code timeout} while another greenlet
     * owns it; the owner gets it again at once. A kill or {@link dev.gevent.Timeout} propagates.
     *
     * @param timeout null = forever; zero = do not block
     * @return true if the calling greenlet now owns the lock
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean acquire(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("acquire: the timeout must not be negative, got " + timeout);
        }
        Greenlet<?> me = Gevent.getCurrent();
        if (owner == me) {
            if (count == Integer.MAX_VALUE) {
                throw new IllegalStateException("RLock: acquired too many times by " + me);
            }
            count++;
            return true;
        }
        if (!block.acquire(timeout)) {
            return false;
        }
        owner = me;
        count = 1;
        return true;
    }

    /**
     * Releases one acquisition; the last one frees the lock for the longest waiter.
     *
     * @throws IllegalStateException if the calling greenlet does not own the lock (gevent:
     *     {@code RuntimeError}, "cannot release un-acquired lock")
     */
    public void release() {
        Greenlet<?> me = Gevent.getCurrent();
        Greenlet<?> holder = owner;
        if (holder != me) {
            throw new IllegalStateException(holder == null
                    ? "cannot release un-acquired lock: the RLock is not held (current: " + me + ")"
                    : "cannot release un-acquired lock: the RLock is owned by " + holder + ", not by " + me);
        }
        if (--count == 0) {
            owner = null;
            block.release();
        }
    }

    /**
     * Acquires the lock for a try-with-resources block:
     * {@code try (var held = lock.acquired()) { ... }} releases it when the block ends, also when
     * the block throws. Close the returned object once.
     *
     * @return what releases the lock on close
     */
    public AutoCloseable acquired() {
        acquire();
        return releaser;
    }

    /** @return true if the calling greenlet owns the lock */
    public boolean isOwned() {
        return owner == Gevent.getCurrent();
    }

    /** @return true if some greenlet owns the lock */
    public boolean locked() {
        return block.locked();
    }

    @Override
    public String toString() {
        Greenlet<?> holder = owner;
        return "RLock[" + (holder == null ? "free" : "owned by " + holder + ", count=" + count) + "]";
    }
}
