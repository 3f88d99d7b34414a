package dev.gevent.subprocess;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What {@link Subprocess#run} returns (gevent: {@code subprocess.CompletedProcess}).
 *
 * @param command the command line
 * @param returncode the exit status; negative: killed by that signal
 * @param stdout the standard output, or null if it was not captured
 * @param stderr the standard error, or null if it was not captured
 */
public record CompletedProcess(List<String> command, int returncode, byte[] stdout, byte[] stderr) {

    /** @return standard output as UTF-8 text, or null */
    public String stdoutText() {
        return stdout == null ? null : new String(stdout, StandardCharsets.UTF_8);
    }

    /** @return standard error as UTF-8 text, or null */
    public String stderrText() {
        return stderr == null ? null : new String(stderr, StandardCharsets.UTF_8);
    }

    /**
     * @return this, if the exit status is zero
     * @throws CalledProcessError otherwise
     */
    public CompletedProcess checkReturncode() {
        if (returncode != 0) {
            throw new CalledProcessError(command, returncode, stdout, stderr);
        }
        return this;
    }
}
