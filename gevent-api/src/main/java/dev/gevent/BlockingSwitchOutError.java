package dev.gevent;

import java.io.Serial;

/**
 * A blocking call was made from a hub callback ({@code callSoon}, {@code callLater},
 * {@code rawlink}, an I/O completion), where nothing may block (gevent:
 * {@code BlockingSwitchOutError}). Spawn a greenlet to do blocking work from a callback.
 */
public class BlockingSwitchOutError extends AssertionError {
    @Serial private static final long serialVersionUID = 1L;

    /** Creates one with a message naming what blocked. */
    public BlockingSwitchOutError(String message) {
        super(message);
    }

    /** Creates one with the standard message. */
    public BlockingSwitchOutError() {
        this("Impossible to call blocking function in the event loop callback");
    }
}
