package dev.gevent.subprocess;

import java.time.Duration;
import java.util.List;

/**
 * A wait for a child process ran out of time (gevent: {@code subprocess.TimeoutExpired}).
 * {@link Subprocess#run} has killed and reaped the child by the time it throws this; after
 * {@link Popen#waitFor(Duration)} or {@link Popen#communicate(byte[], Duration)} the child still
 * runs and the caller decides.
 */
public class TimeoutExpired extends SubprocessError {
    private static final long serialVersionUID = 1L;
    private final Duration timeout;

    /**
     * @param command the command line
     * @param timeout the time that ran out
     * @param output standard output read before it ran out, or null
     * @param stderr standard error read before it ran out, or null
     */
    public TimeoutExpired(List<String> command, Duration timeout, byte[] output, byte[] stderr) {
        super("Command " + command + " timed out after " + timeout, command, output, stderr);
        this.timeout = timeout;
    }

    /** @return the time that ran out */
    public Duration timeout() {
        return timeout;
    }
}
