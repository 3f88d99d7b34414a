package dev.gevent.internal;

import dev.gevent.Greenlet;
import dev.gevent.Hub;

/**
 * What every strand of a hub shares, the main greenlet included: blocking on a {@link WaiterImpl},
 * being woken, and receiving an exception (kill, Timeout) at its blocking point. Hub thread only.
 */
abstract class GreenletBase<T> implements Greenlet<T> {
    final HubImpl hub;
    /** An exception to raise at the next blocking point (kill, Timeout); the first one wins. */
    Throwable pending;
    /** True while blocked in {@link #await}. */
    boolean waiting;

    GreenletBase(HubImpl hub) {
        this.hub = hub;
    }

    @Override
    public final Hub hub() {
        return hub;
    }

    /**
     * Blocks the calling strand (which must be this one) until {@code w} is ready or an exception
     * is pending, which is then thrown.
     */
    abstract void await(WaiterImpl<?> w);

    /** The waiter this strand waits on became ready: make it runnable. */
    abstract void wake();

    /** A cooperative yield: every other runnable strand runs once, then this one goes on. */
    abstract void yieldNow();

    /** Raises {@code e} at this strand's blocking point. Hub thread only. */
    abstract void deliver(Throwable e);

    /** Withdraws {@code e} if it is pending and not yet raised (a cancelled Timeout). */
    void withdraw(Throwable e) {
        if (pending == e) {
            pending = null;
        }
    }

    /** Takes the pending exception, to be thrown by the caller. */
    Throwable takePending() {
        Throwable p = pending;
        pending = null;
        return p;
    }
}
