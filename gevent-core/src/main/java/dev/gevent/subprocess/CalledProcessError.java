package dev.gevent.subprocess;

import java.util.List;

/**
 * A command asked to succeed exited with a non-zero status (gevent:
 * {@code subprocess.CalledProcessError}). Carries the command, the exit status and whatever output
 * was captured.
 */
public class CalledProcessError extends SubprocessError {
    private static final long serialVersionUID = 1L;
    private final int returncode;

    /**
     * @param command the command line
     * @param returncode its exit status; negative: killed by that signal
     * @param output its standard output, or null if not captured
     * @param stderr its standard error, or null if not captured
     */
    public CalledProcessError(List<String> command, int returncode, byte[] output, byte[] stderr) {
        super("Command " + command + " returned non-zero exit status " + returncode
                + (stderr != null && stderr.length > 0 ? ": " + Popen.tail(stderr) : ""), command, output, stderr);
        this.returncode = returncode;
    }

    /** @return the exit status */
    public int returncode() {
        return returncode;
    }
}
