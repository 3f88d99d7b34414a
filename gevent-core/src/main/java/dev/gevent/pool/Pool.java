package dev.gevent.pool;

import dev.gevent.Cancellable;
import dev.gevent.Greenlet;
import dev.gevent.Waiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A group that holds at most {@code size} greenlets at a time (gevent: {@code gevent.pool.Pool}):
 * the way to bound concurrency. {@link #spawn}, {@link #add} and {@link #start} block the calling
 * greenlet while the pool is full; their timed forms throw {@link PoolFull} when no room comes in
 * time. {@link #map} and the imap iterators run at most {@code size} items at a time.
 *
 * <p><b>Ordering.</b> Greenlets waiting for room are served in the order they arrived: a slot that
 * frees goes to the longest waiter, so a later spawn cannot barge ahead of it. Greenlets handed to
 * {@link #applyAsync} while the pool is full wait, not started, in the same line.
 *
 * <p><b>Threads.</b> As for {@link Group}: hub thread only; {@link #size()}, {@link #freeCount()}
 * and {@link #full()} may be read from any thread (a snapshot).
 */
public class Pool extends Group {
    private final int capacity;
    /** Room promised to callers that were woken and have not taken it yet. */
    private int reserved;
    /** Who waits for room, first come first served: a {@link Request}, or a {@link Member} not started. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private int queuedGreenlets;

    /**
     * @param size how many greenlets it holds at most
     * @throws IllegalArgumentException if {@code size} is less than 1
     */
    public Pool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("Pool: the size must be >= 1, got " + size);
        }
        this.capacity = size;
    }

    /** @return how many more greenlets it can take now without blocking; any thread (a snapshot) */
    public int freeCount() {
        return Math.max(0, free());
    }

    /** @return true if a spawn would block now; any thread (a snapshot) */
    public boolean full() {
        return free() <= 0;
    }

    /** Blocks the calling greenlet until the pool has room, without taking it (gevent: {@code Pool.wait_available}). */
    public void waitAvailable() {
        waitAvailable(null);
    }

    /**
     * Blocks the calling greenlet until the pool has room, without taking it, or {@code timeout}
     * elapsed. Waiters for room are woken in arrival order.
     *
     * @param timeout how long to wait; null = forever
     * @return true if there is room, false if the time elapsed first
     */
    public boolean waitAvailable(Duration timeout) {
        hub();
        checkTimeout(timeout);
        if (free() > 0) {
            return true;
        }
        if (timeout != null && timeout.isZero()) {
            return false;
        }
        return await(new Request(hub().newWaiter(), false), timeout, null);
    }

    /**
     * Adds {@code g}, blocking the calling greenlet while the pool is full (gevent: {@code Pool.add});
     * a no-op if it is a member already.
     *
     * @param g the greenlet
     * @throws IllegalStateException if the pool is closed, or called from another hub's thread
     */
    @Override
    public void add(Greenlet<?> g) {
        super.add(g);
    }

    /**
     * Adds {@code g}, waiting at most {@code timeout} for room.
     *
     * @param g the greenlet
     * @param timeout how long to wait; null = forever, zero = not at all
     * @throws PoolFull if no room came in time
     * @throws IllegalStateException if the pool is closed, or called from another hub's thread
     */
    public void add(Greenlet<?> g, Duration timeout) {
        checkTimeout(timeout);
        if (!tryAdd(g, timeout)) {
            throw new PoolFull(this + " had no room within " + timeout);
        }
    }

    /**
     * Adds {@code g}, blocking while the pool is full, then starts it (gevent: {@code Pool.start}).
     *
     * @param g the greenlet
     * @throws IllegalStateException if the pool is closed, or called from another hub's thread
     */
    @Override
    public void start(Greenlet<?> g) {
        super.start(g);
    }

    /**
     * Adds {@code g}, waiting at most {@code timeout} for room, then starts it.
     *
     * @param g the greenlet
     * @param timeout how long to wait; null = forever, zero = not at all
     * @throws PoolFull if no room came in time; {@code g} was not started
     * @throws IllegalStateException if the pool is closed, or called from another hub's thread
     */
    public void start(Greenlet<?> g, Duration timeout) {
        add(g, timeout);
        g.start();
    }

    /**
     * Runs {@code fn} in a greenlet of the pool without blocking (gevent: {@code Pool.apply_async}).
     * If the pool is full, the greenlet is returned not started: it waits in line with the
     * callers blocked for room and starts when its turn comes. Meanwhile it is no member
     * ({@link #size()} and {@link #contains} do not count it), but {@link #join} waits for it
     * and {@link #kill} and {@link #close()} kill it.
     *
     * @param fn the function
     * @param <T> its result type
     * @return the greenlet that runs {@code fn}, started or waiting for room
     * @throws IllegalStateException if the pool is closed, or called from another hub's thread
     */
    @Override
    public <T> Greenlet<T> applyAsync(Callable<? extends T> fn) {
        Objects.requireNonNull(fn, "applyAsync: the function must not be null");
        hub();
        checkOpen();
        if (free() > 0) {
            return spawn(fn);
        }
        Greenlet<T> g = Greenlet.of(fn);
        Member m = new Member(this, g);
        // linked now: one killed while it waits must leave the line
        g.rawlink(m);
        queue.addLast(m);
        queuedGreenlets++;
        return g;
    }

    @Override
    public String toString() {
        return "Pool[size=" + size() + "/" + capacity + (queuedGreenlets > 0 ? ", queued=" + queuedGreenlets : "") + "]";
    }

    // ---- the room --------------------------------------------------------------------------

    /** Room left: may be negative while woken callers have not taken what they were promised. */
    private int free() {
        return capacity - size() - reserved;
    }

    @Override
    boolean reserve(Duration timeout, Parked caller) {
        checkOpen();
        // Room is handed to waiters as soon as it frees, so room now means nobody waits for it.
        if (free() > 0) {
            reserved++;
            return true;
        }
        if (timeout != null && timeout.isZero()) {
            return false;
        }
        return await(new Request(hub().newWaiter(), true), timeout, caller);
    }

    /** Queues {@code r} and blocks the calling greenlet until it is served, timed out, or {@code caller} woken. */
    private boolean await(Request r, Duration timeout, Parked caller) {
        queue.addLast(r);
        Cancellable timer = timeout == null ? null : hub().callLater(timeout, r);
        boolean returned = false;
        try {
            if (caller == null) {
                r.waiter.get();
            } else {
                caller.parkOn(r.waiter);
            }
            returned = true;
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            if (!r.granted) {
                queue.remove(r);
            } else if (!returned && r.takesSlot) {
                // served, then killed before it could use the room: pass it on
                unreserve();
            }
        }
        return r.granted;
    }

    @Override
    void unreserve() {
        reserved--;
        dispatch();
    }

    @Override
    void admitted() {
        reserved--;
    }

    @Override
    void released() {
        dispatch();
    }

    /** Hands the free room to those waiting for it, in arrival order. */
    private void dispatch() {
        while (free() > 0 && !queue.isEmpty()) {
            Object next = queue.pollFirst();
            if (next instanceof Request r) {
                r.granted = true;
                if (r.takesSlot) {
                    reserved++;
                }
                r.waiter.switchTo(null);
            } else {
                Member m = (Member) next;
                queuedGreenlets--;
                enter(m);
                m.greenlet.start();
            }
        }
    }

    @Override
    int queued() {
        return queuedGreenlets;
    }

    @Override
    boolean isQueued(Greenlet<?> g) {
        for (Object o : queue) {
            if (o instanceof Member m && m.greenlet == g) {
                return true;
            }
        }
        return false;
    }

    @Override
    void dequeue(Member m) {
        if (queue.remove(m)) {
            queuedGreenlets--;
        }
    }

    @Override
    void collect(List<Greenlet<?>> out) {
        super.collect(out);
        for (Object o : queue) {
            if (o instanceof Member m) {
                out.add(m.greenlet);
            }
        }
    }

    @Override
    int window() {
        return capacity;
    }

    /** A caller blocked until the pool has room: to take it (a spawn, an add) or only to see it. */
    private static final class Request implements Runnable {
        final Waiter<Object> waiter;
        final boolean takesSlot;
        boolean granted;

        Request(Waiter<Object> waiter, boolean takesSlot) {
            this.waiter = waiter;
            this.takesSlot = takesSlot;
        }

        /** Its timeout. */
        @Override
        public void run() {
            waiter.switchTo(null);
        }
    }
}
