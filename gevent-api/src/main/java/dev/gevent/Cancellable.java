package dev.gevent;

/**
 * Something scheduled that can be withdrawn: a hub callback or timer (gevent: the watcher that
 * {@code loop.run_callback} and {@code loop.timer} return).
 */
public interface Cancellable {
    /**
     * Withdraws it if it has not run yet. Idempotent.
     *
     * @return true if this call cancelled it; false if it had already run or been cancelled
     */
    boolean cancel();
}
