package dev.gevent.subprocess;

/** The base of this package's exceptions (gevent: {@code subprocess.SubprocessError}). */
public class SubprocessError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public SubprocessError(String message) {
        super(message);
    }
}
