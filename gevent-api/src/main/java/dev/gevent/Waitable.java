package dev.gevent;

/**
 * The wait protocol: an object that becomes ready once and tells registered callbacks
 * (gevent: objects with {@code rawlink()}/{@code unlink()}, which {@code gevent.wait} and
 * {@code gevent.iwait} accept).
 *
 * <p>Callbacks run in the hub of the thread that registered them, on that hub's thread, outside
 * any greenlet. They must not block: a blocking call there throws {@link BlockingSwitchOutError}.
 */
public interface Waitable {
    /** @return true once this object is ready (for a greenlet: dead) */
    boolean ready();

    /**
     * Registers {@code callback} to run once this object is ready; soon, if it already is.
     * Callbacks registered from one hub run in the order they were registered.
     *
     * @param callback what to run; must not block
     * @throws NullPointerException if {@code callback} is null
     */
    void rawlink(Runnable callback);

    /**
     * Removes a callback added by {@link #rawlink}; a no-op if it is absent or has already run.
     * Removing it during a notification stops it if it has not run yet.
     *
     * @param callback the callback as given to {@code rawlink}
     */
    void unlink(Runnable callback);
}
