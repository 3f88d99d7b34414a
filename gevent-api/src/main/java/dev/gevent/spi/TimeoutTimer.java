package dev.gevent.spi;

import dev.gevent.Cancellable;

/**
 * The armed timer behind a started {@link dev.gevent.Timeout}. {@link #cancel()} also withdraws
 * the exception if it fired but has not reached the greenlet yet.
 */
public interface TimeoutTimer extends Cancellable {
    /** @return true if it has neither fired nor been cancelled */
    boolean pending();

    /** @return true if it fired */
    boolean fired();
}
