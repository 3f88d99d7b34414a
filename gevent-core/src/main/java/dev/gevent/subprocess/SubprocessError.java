package dev.gevent.subprocess;

import java.util.List;

/**
 * The base of this package's exceptions (gevent: {@code subprocess.SubprocessError}): the command
 * that failed, and what it wrote before it did, where that was captured.
 */
public class SubprocessError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> command;
    private final transient byte[] output;
    private final transient byte[] stderr;

    /**
     * @param message what went wrong
     * @param command the command line
     * @param output its standard output, or null if not captured
     * @param stderr its standard error, or null if not captured
     */
    public SubprocessError(String message, List<String> command, byte[] output, byte[] stderr) {
        super(message);
        this.command = List.copyOf(command);
        this.output = output;
        this.stderr = stderr;
    }

    /** @return the command line */
    public List<String> command() {
        return command;
    }

    /** @return the captured standard output, or null */
    public byte[] output() {
        return output;
    }

    /** @return the captured standard error, or null */
    public byte[] stderr() {
        return stderr;
    }
}
