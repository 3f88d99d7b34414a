package dev.gevent;

import java.io.Serial;

/**
 * Kills a greenlet silently (gevent: {@code GreenletExit}). A greenlet that ends with it, or a
 * subclass, is counted as successful, its value is null, and nothing is reported. It extends
 * {@link Error} so that {@code catch (Exception e)} does not swallow a kill.
 */
public class GreenletExit extends Error {
    @Serial private static final long serialVersionUID = 1L;

    /** Creates one with no message. */
    public GreenletExit() {
        super();
    }

    /** @param message the detail message */
    public GreenletExit(String message) {
        super(message);
    }
}
