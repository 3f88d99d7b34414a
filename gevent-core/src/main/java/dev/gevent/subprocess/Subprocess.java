package dev.gevent.subprocess;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Run a command and wait for it without blocking the hub (gevent: {@code gevent.subprocess.run},
 * {@code call}, {@code check_call}, {@code check_output}). Other greenlets keep running meanwhile.
 */
public final class Subprocess {
    private Subprocess() {
    }

    /**
     * Runs {@code command}, feeds it {@code input}, captures stdout and stderr, waits for it.
     *
     * @param command the program and its arguments
     * @param input written to stdin, which is then closed; null: stdin is only closed
     * @param timeout null = none; when it runs out the child is killed and reaped
     * @param check true: a non-zero exit status is a {@link CalledProcessError}
     * @return the exit status and the outputs
     * @throws IOException if the program cannot be started (a missing one is named) or a pipe fails
     * @throws TimeoutExpired if {@code timeout} ran out (the child is killed by then)
     * @throws CalledProcessError if {@code check} and the status is not zero
     */
    public static CompletedProcess run(List<String> command, byte[] input, Duration timeout, boolean check) throws IOException {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        try (Popen p = Popen.start(command)) {
            CompletedProcess r = p.communicate(input, timeout);
            return check ? r.checkReturncode() : r;
        }
    }

    /**
     * @param command the program and its arguments
     * @return the exit status and the outputs; the exit status is not checked
     * @throws IOException if the program cannot be started or a pipe fails
     */
    public static CompletedProcess run(String... command) throws IOException {
        return run(List.of(command), null, null, false);
    }

    /**
     * @param command the program and its arguments
     * @return its exit status (its output is read and dropped)
     * @throws IOException if the program cannot be started or a pipe fails
     */
    public static int call(String... command) throws IOException {
        return run(command).returncode();
    }

    /**
     * @param command the program and its arguments
     * @throws IOException if the program cannot be started or a pipe fails
     * @throws CalledProcessError if it exits with a non-zero status
     */
    public static void checkCall(String... command) throws IOException {
        run(List.of(command), null, null, true);
    }

    /**
     * @param command the program and its arguments
     * @return its standard output
     * @throws IOException if the program cannot be started or a pipe fails
     * @throws CalledProcessError if it exits with a non-zero status
     */
    public static byte[] checkOutput(String... command) throws IOException {
        return run(List.of(command), null, null, true).stdout();
    }
}
