package dev.gevent.event;

import dev.gevent.Waitable;
import dev.gevent.internal.WaitNode;
import java.time.Duration;
import java.util.List;

/**
 * A flag that greenlets wait for (gevent: {@code gevent.event.Event}). {@link #set()} wakes every
 * waiter and every linked callback; {@link #clear()} resets it.
 *
 * <p><b>Blocking.</b> {@link #await()} blocks only the calling greenlet (a hub's main greenlet runs
 * the loop meanwhile; a hub callback may not call it). {@link #set()} and {@link #clear()} never
 * block and never switch: they make the waiters runnable.
 *
 * <p><b>Threads.</b> Any method may be called from any thread, and waiters of different hubs may
 * wait on one event; each is resumed on its own hub. A wait that only another thread can end does
 * not keep the waiter's hub alive: with nothing else to do, a main greenlet gets
 * {@link dev.gevent.LoopExit} (as in gevent); keep a {@link dev.gevent.Timeout} pending, or use a
 * {@link dev.gevent.threadpool.ThreadPool}, which keeps its hub alive while it works.
 */
public final class Event implements Waitable {
    private final Object lock = new Object();
    private final Subscribers subscribers = new Subscribers();
    private volatile boolean flag;

    /** Creates a cleared event. */
    public Event() {
    }

    /** @return true if the flag is set */
    public boolean isSet() {
        return flag;
    }

    /** @return the same as {@link #isSet()} */
    @Override
    public boolean ready() {
        return flag;
    }

    /** Sets the flag and wakes every waiter, in the order they began waiting; never blocks. */
    public void set() {
        List<Object> snapshot;
        synchronized (lock) {
            if (flag) {
                return;
            }
            flag = true;
            snapshot = subscribers.snapshot();
        }
        Subscribers.notify(snapshot, lock, subscribers);
    }

    /** Resets the flag; later {@link #await()} calls block until the next {@link #set()}. */
    public void clear() {
        flag = false;
    }

    /**
     * Blocks the calling greenlet until the flag is set (gevent: {@code Event.wait()}).
     *
     * @return true
     */
    public boolean await() {
        return await(null);
    }

    /**
     * Blocks the calling greenlet until the flag is set or {@code timeout} elapsed.
     *
     * @param timeout null = forever
     * @return true if the flag was set during the wait (even if it was cleared again before this
     *     greenlet ran), false on timeout
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean await(Duration timeout) {
        checkTimeout(timeout);
        if (flag) {
            return true;
        }
        WaitNode node = WaitNode.forCurrentStrand();
        synchronized (lock) {
            if (flag) {
                return true;
            }
            subscribers.add(node);
        }
        return subscribers.await(node, timeout, lock) || flag;
    }

    @Override
    public void rawlink(Runnable callback) {
        subscribers.link(callback, lock, () -> flag);
    }

    @Override
    public void unlink(Runnable callback) {
        subscribers.unlink(callback, lock);
    }

    static void checkTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
    }

    @Override
    public String toString() {
        return "Event[" + (flag ? "set" : "clear") + "]";
    }
}
