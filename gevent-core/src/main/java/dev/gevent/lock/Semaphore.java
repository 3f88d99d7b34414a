package dev.gevent.lock;

import dev.gevent.Waitable;
import dev.gevent.internal.HubRef;
import dev.gevent.internal.WaitNode;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A counting semaphore for greenlets (gevent: {@code gevent.lock.Semaphore}): {@link #acquire()}
 * takes a permit, blocking the calling greenlet while none is free; {@link #release()} gives one
 * back. Its {@link Waitable} face is ready while a permit is free, so it can be passed to
 * {@link dev.gevent.Gevent#wait} and {@link dev.gevent.Gevent#iwait}.
 *
 * <p><b>Blocking.</b> Only the {@code acquire} methods block, and only the calling greenlet (on a
 * plain platform thread they run that thread's hub until they return). {@link #release()},
 * {@link #tryAcquire()} and the queries never block and never switch.
 *
 * <p><b>Ordering.</b> Waiters are served in the order they arrived. A release with waiters hands
 * its permit straight to the longest waiter, which becomes runnable: a greenlet that calls
 * {@code acquire} before that waiter runs finds no permit and queues behind it, so nobody barges
 * in. A waiter that times out or is killed (a kill or a {@link dev.gevent.Timeout}) leaves the
 * queue; if a permit had been handed to it at that same moment, the permit goes to the next waiter
 * or back to the semaphore. Permits are never lost.
 *
 * <p><b>Threads.</b> One semaphore may be shared by greenlets of different hubs and by plain
 * threads; a waiter is always resumed on its own hub, and a rawlink callback runs in the hub of
 * the thread that registered it. A wait that only another thread can end does not keep the
 * waiter's hub alive: as in gevent, a hub with nothing else to do raises
 * {@link dev.gevent.LoopExit} in it.
 */
public class Semaphore implements Waitable {
    private final Object lock = new Object();
    private final ArrayDeque<WaitNode> waiters = new ArrayDeque<>(2);
    private final Links links = new Links(lock, this::ready);
    /** The most permits it may hold: the initial value for a bounded semaphore. */
    private final int bound;
    /** Written under {@link #lock}; volatile so that the queries need no lock. */
    private volatile int counter;
    /** Made once, so that {@link #acquired()} allocates nothing. */
    private final AutoCloseable releaser = this::release;

    /**
     * Creates a semaphore holding {@code value} permits.
     *
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        this(value, Integer.MAX_VALUE);
    }

    Semaphore(int value, int bound) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore: the initial value must be >= 0, got " + value);
        }
        this.counter = value;
        this.bound = bound;
    }

    /** @return the number of free permits */
    public int counter() {
        return counter;
    }

    /** @return true if no permit is free: an {@link #acquire()} now would block */
    public boolean locked() {
        return counter <= 0;
    }

    /** @return true while a permit is free ({@code counter() > 0}) */
    @Override
    public boolean ready() {
        return counter > 0;
    }

    /**
     * Takes a permit if one is free, without blocking.
     *
     * @return true if a permit was taken
     */
    public boolean tryAcquire() {
        synchronized (lock) {
            // No waiter can be queued while a permit is free: release hands permits to waiters.
            if (counter > 0) {
                counter--;
                return true;
            }
            return false;
        }
    }

    /** Takes a permit, blocking the calling greenlet until one is free; a kill or Timeout propagates. */
    public void acquire() {
        acquire(null);
    }

    /**
     * Takes a permit, blocking the calling greenlet at most {@code timeout}. A zero timeout never
     * blocks. A kill or {@link dev.gevent.Timeout} that interrupts the wait propagates.
     *
     * @param timeout null = forever
     * @return true if a permit was taken, false if the timeout came first
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws dev.gevent.BlockingSwitchOutError if it would block in a hub callback
     */
    public boolean acquire(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("acquire: the timeout must not be negative, got " + timeout);
        }
        if (tryAcquire()) {
            return true;
        }
        if (timeout != null && timeout.isZero()) {
            return false;
        }
        return awaitPermit(timeout);
    }

    private boolean awaitPermit(Duration timeout) {
        WaitNode node = WaitNode.forCurrentStrand();
        synchronized (lock) {
            // A release on another thread may have come since tryAcquire failed.
            if (counter > 0) {
                counter--;
                return true;
            }
            waiters.addLast(node);
        }
        boolean woken;
        try {
            woken = node.await(timeout);
        } catch (Throwable e) {
            giveUp(node);
            throw e;
        }
        if (!woken) {
            giveUp(node);
        }
        return woken;
    }

    /** The waiter of {@code node} stopped waiting: leave the queue, or pass on a permit it was handed. */
    private void giveUp(WaitNode node) {
        synchronized (lock) {
            if (node.woken()) {
                releaseLocked();
            } else {
                waiters.remove(node);
            }
        }
    }

    /**
     * Gives a permit back: to the longest waiter if there is one (it becomes runnable; the caller
     * goes on without switching), else to the semaphore. Any thread; never blocks.
     *
     * @throws IllegalStateException for a {@link BoundedSemaphore}, if that would exceed its
     *     initial value
     */
    public void release() {
        synchronized (lock) {
            if (counter >= bound) {
                throw new IllegalStateException(bound == Integer.MAX_VALUE
                        ? "Semaphore released too many times: the counter would overflow"
                        : "Semaphore released too many times: the bound is " + bound);
            }
            releaseLocked();
        }
    }

    private void releaseLocked() {
        WaitNode next;
        while ((next = waiters.pollFirst()) != null) {
            // false: it timed out or was killed and is about to remove itself; try the next one.
            if (next.wake(null)) {
                return;
            }
        }
        counter++;
        links.notifyLocked();
    }

    /**
     * Acquires a permit for a try-with-resources block:
     * {@code try (var held = sem.acquired()) { ... }} releases it when the block ends, also when
     * the block throws. Close the returned object once.
     *
     * @return what releases the permit on close
     */
    public AutoCloseable acquired() {
        acquire();
        return releaser;
    }

    /**
     * Registers {@code callback} to run, once, in the calling thread's hub when a permit is free;
     * soon if one is free now. If the permit is taken again before the callback's turn comes, it
     * stays registered for the next release.
     */
    @Override
    public void rawlink(Runnable callback) {
        links.add(callback, HubRef.current());
    }

    @Override
    public void unlink(Runnable callback) {
        links.remove(callback);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[counter=" + counter + ", waiters=" + waiterCount() + "]";
    }

    private int waiterCount() {
        synchronized (lock) {
            return waiters.size();
        }
    }
}
