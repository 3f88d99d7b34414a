package dev.gevent.subprocess;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.event.AsyncResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * A child process whose pipes and exit a greenlet waits for without blocking its hub (gevent:
 * {@code gevent.subprocess.Popen}). Built on {@link ProcessBuilder}: by default stdin, stdout and
 * stderr are pipes; a builder with redirects keeps them.
 *
 * <pre>{@code
 * try (Popen p = Popen.start("sort")) {
 *     CompletedProcess r = p.communicate("b\na\n".getBytes(), Duration.ofSeconds(5));
 * }   // close(): a child still running is killed and reaped, its pipes closed
 * }</pre>
 *
 * <p>Every blocking call blocks only the calling greenlet; a kill or a {@code Timeout} may land in
 * any of them. An instance belongs to one greenlet at a time (one reader per stream).
 */
public final class Popen implements AutoCloseable {
    /** How long close() waits for a killed child to be reaped before it gives up on it. */
    private static final Duration REAP_LIMIT = Duration.ofSeconds(10);

    private final List<String> command;
    private final Process process;
    private final AsyncResult<Process> exit;
    private final PipeOutputStream stdin;
    private final PipeInputStream stdout;
    private final PipeInputStream stderr;

    private Popen(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.exit = AsyncResult.of(process.onExit());
        this.stdin = new PipeOutputStream(process.getOutputStream());
        this.stdout = new PipeInputStream(process.getInputStream());
        this.stderr = new PipeInputStream(process.getErrorStream());
    }

    /**
     * @param command the program and its arguments
     * @return the started child, its three streams piped
     * @throws IOException if it cannot be started; a missing program names it
     */
    public static Popen start(String... command) throws IOException {
        return start(new ProcessBuilder(command));
    }

    /**
     * @param command the program and its arguments
     * @return the started child, its three streams piped
     * @throws IOException if it cannot be started; a missing program names it
     */
    public static Popen start(List<String> command) throws IOException {
        return start(new ProcessBuilder(command));
    }

    /**
     * Starts {@code builder}'s command. The fork and exec run on a pipe thread.
     *
     * @param builder the command, its directory, environment and redirects
     * @return the started child
     * @throws IOException if it cannot be started, e.g. "Cannot run program "nosuch": error=2, No
     *     such file or directory"
     * @throws IllegalArgumentException if the command is empty
     */
    public static Popen start(ProcessBuilder builder) throws IOException {
        Objects.requireNonNull(builder, "builder");
        List<String> command = List.copyOf(builder.command());
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the command is empty: expected a program and its arguments");
        }
        Process process = PipeIo.await(PipeIo.submit(builder::start));
        return new Popen(command, process);
    }

    /** @return the command line */
    public List<String> command() {
        return command;
    }

    /** @return the child's process id */
    public long pid() {
        return process.pid();
    }

    /** @return the JDK's handle on the child */
    public Process process() {
        return process;
    }

    /** @return the child's stdin; writes block only the calling greenlet */
    public OutputStream stdin() {
        return stdin;
    }

    /** @return the child's stdout; reads block only the calling greenlet */
    public InputStream stdout() {
        return stdout;
    }

    /** @return the child's stderr; reads block only the calling greenlet */
    public InputStream stderr() {
        return stderr;
    }

    /** @return the exit status if the child has exited (negative: killed by that signal), else null */
    public Integer poll() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** @return the exit status, once the child exits; blocks only the calling greenlet */
    public int waitFor() {
        return exit.get().exitValue();
    }

    /**
     * @param timeout how long to wait
     * @return the exit status
     * @throws TimeoutExpired if the child still runs after {@code timeout}; it is left running
     */
    public int waitFor(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Process p = exit.await(timeout);
        if (p == null) {
            throw new TimeoutExpired(command, timeout, null, null);
        }
        return p.exitValue();
    }

    /** Asks the child to end (SIGTERM). */
    public void terminate() {
        process.destroy();
    }

    /** Kills the child (SIGKILL). */
    public void kill() {
        process.destroyForcibly();
    }

    /** @see #communicate(byte[], Duration) */
    public CompletedProcess communicate(byte[] input) throws IOException {
        return communicate(input, null);
    }

    /**
     * Feeds {@code input} to stdin and closes it, reads stdout and stderr to their end, and waits for
     * the exit (gevent: {@code Popen.communicate}). The three run in greenlets of the current hub. A
     * child that exits without reading its input is not an error.
     *
     * @param input what to write to stdin, or null to only close it
     * @param timeout the limit for the whole exchange, null = none
     * @return the exit status and both outputs
     * @throws TimeoutExpired if {@code timeout} ran out; the child is left running
     * @throws IOException if reading a pipe failed
     */
    public CompletedProcess communicate(byte[] input, Duration timeout) throws IOException {
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        Greenlet<Void> feeder = Gevent.spawn(() -> feed(input));
        Greenlet<byte[]> out = Gevent.spawn(stdout::readAllBytes);
        Greenlet<byte[]> err = Gevent.spawn(stderr::readAllBytes);
        List<Greenlet<?>> all = List.of(feeder, out, err);
        try {
            if (Gevent.joinAll(new ArrayList<>(all), timeout, true).size() < all.size()) {
                throw new TimeoutExpired(command, timeout, null, null);
            }
            int status = timeout == null ? waitFor()
                    : waitFor(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            return new CompletedProcess(command, status, out.get(), err.get());
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        } finally {
            Gevent.killAll(all);
        }
    }

    private void feed(byte[] input) throws IOException {
        try (OutputStream in = stdin) {
            if (input != null) {
                in.write(input);
            }
        } catch (IOException e) {
            if (process.isAlive() || !isBrokenPipe(e)) {
                throw e;
            }
        }
    }

    private static boolean isBrokenPipe(IOException e) {
        return e.getMessage() != null && (e.getMessage().contains("Broken pipe") || e.getMessage().contains("Stream closed"));
    }

    /**
     * Kills the child if it still runs, reaps it (waiting at most 10 seconds) and closes its pipes,
     * so that no process and no descriptor is left behind.
     * Idempotent; safe while a kill or a Timeout unwinds the caller.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            if (exit.await(REAP_LIMIT) == null) {
                System.err.println("gevent: the killed child " + pid() + " " + command + " was not reaped in " + REAP_LIMIT);
            }
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // The child is gone: a pipe it no longer reads has nothing to report.
        }
        closeQuietly(stdout);
        closeQuietly(stderr);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            System.err.println("gevent: closing a pipe of a finished child failed: " + e);
        }
    }

    /** @return the last line or so of {@code bytes}, for an exception message */
    static String tail(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8).strip();
        return s.length() <= 200 ? s : "..." + s.substring(s.length() - 200);
    }

    @Override
    public String toString() {
        Integer status = poll();
        return "Popen[pid=" + pid() + ", " + command + (status == null ? ", running" : ", exited " + status) + "]";
    }
}
