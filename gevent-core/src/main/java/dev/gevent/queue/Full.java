package dev.gevent.queue;

import java.io.Serial;

/**
 * Thrown by a put that found no room (gevent: {@code gevent.queue.Full}): a {@code putNowait} on a
 * full queue, a {@link Channel#putNowait} with no getter waiting, or a timed put whose timeout
 * elapsed first. The item was not added.
 */
public class Full extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    /** Creates one with no detail message. */
    public Full() {
        super();
    }

    /** @param message the detail message */
    public Full(String message) {
        super(message);
    }
}
