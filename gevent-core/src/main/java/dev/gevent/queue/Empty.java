package dev.gevent.queue;

import java.io.Serial;

/**
 * Thrown by a get that found no item (gevent: {@code gevent.queue.Empty}): a {@code getNowait} or
 * {@code peekNowait} on an empty queue, a {@link Channel#getNowait()} with no putter waiting, or a
 * timed get whose timeout elapsed first.
 */
public class Empty extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    /** Creates one with no detail message. */
    public Empty() {
        super();
    }

    /** @param message the detail message */
    public Empty(String message) {
        super(message);
    }
}
