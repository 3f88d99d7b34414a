package dev.gevent.internal;

import dev.gevent.Hub;

/**
 * What gevent-core's other packages may do with a hub beyond the public {@link Hub} API.
 * Internal API.
 */
public final class HubRef {
    final HubImpl impl;

    HubRef(HubImpl impl) {
        this.impl = impl;
    }

    /** @return the hub of the calling thread (created on first use for a platform thread) */
    public static HubRef current() {
        return new HubRef(RuntimeImpl.hubOfCurrentThread());
    }

    /** @return the hub of the calling thread if it already has one (see {@link #current()}), else null */
    public static HubRef currentIfAny() {
        HubImpl hub = RuntimeImpl.hubOfCurrentThreadIfAny();
        return hub == null ? null : new HubRef(hub);
    }

    /** @return the public view */
    public Hub hub() {
        return impl;
    }

    /** @return true if the calling code runs on this hub's thread (a greenlet of it, or the hub itself) */
    public boolean isHubThread() {
        return impl.isHubThread();
    }

    /**
     * Something outside the loop will wake it (thread-pool work, a CompletionStage): no LoopExit
     * meanwhile. Pair with {@link #release()}. Any thread.
     */
    public void retain() {
        impl.onHub(impl::retain);
    }

    /** Ends a {@link #retain()}. Any thread. */
    public void release() {
        impl.onHub(impl::release);
    }

    /** Runs {@code r} on the hub: now if called on its thread, else soon. Dropped once the hub is closed. */
    public void execute(Runnable r) {
        impl.onHub(r);
    }

    /**
     * Queues {@code r} to run in the hub after what is runnable now, from ANY thread (a hub callback:
     * it must not block). Dropped once the hub is closed.
     */
    public void post(Runnable r) {
        impl.post(r);
    }

    /**
     * The hub's singleton for {@code key} (the default thread pool), made by {@code factory} on first
     * use and closed with the hub if it is {@link AutoCloseable}. Hub thread only.
     *
     * @param key its class
     * @param factory makes it
     * @param <T> its type
     * @return the singleton
     */
    public <T> T resource(Class<T> key, java.util.function.Supplier<? extends T> factory) {
        return impl.resource(key, factory);
    }

    /**
     * Reports a failed callback to the hub's error handler (stderr by default). Hub thread only.
     *
     * @param context what failed: the user's callback
     * @param error what it threw
     */
    public void reportError(Object context, Throwable error) {
        impl.reportError(context, error);
    }

    /**
     * @return the socket operations of this hub's loop. Hub thread only.
     * @throws IllegalStateException if the hub is closed
     */
    public dev.gevent.spi.Transport transport() {
        return impl.transport();
    }

    /** @return the hub's name for messages: its thread's name */
    public String name() {
        return impl.thread().getName();
    }

    /** @return true once the hub is closed */
    public boolean isClosed() {
        return impl.isClosed();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HubRef h && h.impl == impl;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(impl);
    }

    @Override
    public String toString() {
        return impl.toString();
    }
}
