package dev.gevent;

import java.io.Serial;

/**
 * Thrown in a blocked caller when its hub has nothing left that could ever wake it: no runnable
 * greenlet or callback, no timer, no pending I/O, no thread-pool work, no greenlet blocked in a
 * JDK call (gevent: {@code LoopExit}, "This operation would block forever"). A deadlock becomes an
 * error instead of a hang.
 */
public class LoopExit extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    /** Creates one with the standard message. */
    public LoopExit() {
        this("This operation would block forever");
    }

    /** @param message the detail message */
    public LoopExit(String message) {
        super(message);
    }
}
