package dev.gevent.spi;

/**
 * One hub's event loop: it waits for I/O and runs the completions of the operations its
 * {@link Transport} started. Every method but {@link #wakeup()} is called on the hub's thread only,
 * so an implementation needs no locks on that path.
 */
public interface EventLoop extends AutoCloseable {
    /** A {@link #poll} timeout meaning: until an operation completes or {@link #wakeup()}. */
    long FOREVER = -1;

    /**
     * Waits up to {@code timeoutNanos} for completions and runs those that are ready, each once.
     * Returns early after a {@link #wakeup()}, and may return early having run nothing (a signal
     * interrupted the wait: EINTR); the hub then polls again. Zero polls without waiting.
     *
     * @param timeoutNanos the longest wait, 0, or {@link #FOREVER}
     */
    void poll(long timeoutNanos);

    /**
     * Makes the current or the next {@link #poll} return soon. Callable from ANY thread; cheap
     * when called repeatedly.
     */
    void wakeup();

    /** @return the transport whose operations complete in this loop */
    Transport transport();

    /** @return how many operations are started and not yet completed or cancelled */
    int pendingOperations();

    /** Fails what is pending with {@code AsynchronousCloseException}, closes every socket and frees the loop. Idempotent. */
    @Override
    void close();
}
