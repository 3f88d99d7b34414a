package dev.gevent.pool;

import dev.gevent.queue.Full;
import java.io.Serial;

/**
 * Thrown by {@link Pool#add(dev.gevent.Greenlet, java.time.Duration)} and
 * {@link Pool#start(dev.gevent.Greenlet, java.time.Duration)} when the pool had no room in time
 * (gevent: {@code gevent.pool.PoolFull}). The greenlet was not added.
 */
public class PoolFull extends Full {
    @Serial private static final long serialVersionUID = 1L;

    /** Creates one with no detail message. */
    public PoolFull() {
        super();
    }

    /** @param message the detail message */
    public PoolFull(String message) {
        super(message);
    }
}
