package dev.gevent.internal;

import dev.gevent.Waiter;
import java.util.Objects;

/**
 * The one-shot rendezvous every blocking call is built on. It doubles as a hub callback and a
 * timer action ({@link #run()} switches with null), so that a sleep or a timed wait allocates
 * nothing more. Hub thread only.
 */
final class WaiterImpl<T> implements Waiter<T>, Runnable {
    final HubImpl hub;
    private GreenletBase<?> owner;
    private boolean done;
    private T value;
    private Throwable error;

    WaiterImpl(HubImpl hub) {
        this.hub = hub;
    }

    @Override
    public T get() {
        if (!done) {
            GreenletBase<?> me = hub.currentStrandForBlocking();
            if (owner != null) {
                throw new IllegalStateException("this Waiter already has a waiting greenlet: " + owner);
            }
            owner = me;
            try {
                me.await(this);
            } finally {
                owner = null;
            }
        }
        if (error != null) {
            throw Throwables.sneaky(error);
        }
        return value;
    }

    @Override
    public void switchTo(T v) {
        if (done) {
            return;
        }
        value = v;
        done = true;
        GreenletBase<?> o = owner;
        if (o != null) {
            o.wake();
        }
    }

    @Override
    public void throwInto(Throwable e) {
        Objects.requireNonNull(e, "error");
        if (done) {
            return;
        }
        error = e;
        done = true;
        GreenletBase<?> o = owner;
        if (o != null) {
            o.wake();
        }
    }

    @Override
    public boolean ready() {
        return done;
    }

    /** Makes a waiter that is not being waited on ready for another round (I/O waits reuse one). */
    void reset() {
        done = false;
        value = null;
        error = null;
    }

    /** As a callback or timer action: wakes the waiter with null. */
    @Override
    public void run() {
        switchTo(null);
    }

    @Override
    public String toString() {
        return "Waiter[" + (done ? "done" : owner == null ? "idle" : "waited on by " + owner.name()) + "]";
    }
}
