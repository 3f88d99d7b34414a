package dev.gevent;

import dev.gevent.spi.GeventRuntime;
import dev.gevent.spi.TimeoutTimer;
import java.io.Serial;
import java.time.Duration;
import java.util.Objects;

/**
 * Raises an exception in the greenlet that started it once a time has passed (gevent:
 * {@code gevent.Timeout}). It extends {@link Error} so that {@code catch (Exception e)} does not
 * swallow it. The usual form is try-with-resources:
 *
 * <pre>{@code
 * try (Timeout t = Timeout.startNew(Duration.ofSeconds(2))) {
 *     return socket.recv(1024);
 * } catch (Timeout t) {
 *     // catch only your own: an outer timeout must propagate
 * }
 * }</pre>
 *
 * <p>It fires at the greenlet's blocking point: the blocking call throws it (or the exception given
 * at construction, that very instance). A greenlet blocked in a JDK call is interrupted and the
 * timeout is raised at its next cooperative switch. Once cancelled or closed, it never fires.
 * Timeouts nest: each raises its own instance.
 */
public class Timeout extends Error implements AutoCloseable {
    @Serial private static final long serialVersionUID = 1L;

    private final transient Duration seconds;
    private final transient Throwable exception;
    private transient volatile TimeoutTimer timer;

    /**
     * Creates a timeout, not started.
     *
     * @param seconds after how long it fires; null: never
     * @throws IllegalArgumentException if {@code seconds} is negative
     */
    public Timeout(Duration seconds) {
        this(seconds, null);
    }

    /**
     * Creates a timeout that raises {@code exception} instead of itself, not started.
     *
     * @param seconds after how long it fires; null: never
     * @param exception what to raise; null: this Timeout
     * @throws IllegalArgumentException if {@code seconds} is negative
     */
    public Timeout(Duration seconds, Throwable exception) {
        super(null, null, false, true);
        if (seconds != null && seconds.isNegative()) {
            throw new IllegalArgumentException("Timeout duration must not be negative, got " + seconds);
        }
        this.seconds = seconds;
        this.exception = exception;
    }

    /**
     * Creates and starts a timeout for the current greenlet.
     *
     * @param seconds after how long it fires; null: never
     * @return the started timeout
     */
    public static Timeout startNew(Duration seconds) {
        return startNew(seconds, null);
    }

    /**
     * Creates and starts a timeout for the current greenlet that raises {@code exception}.
     *
     * @param seconds after how long it fires; null: never
     * @param exception what to raise; null: the Timeout itself
     * @return the started timeout
     */
    public static Timeout startNew(Duration seconds, Throwable exception) {
        Timeout t = new Timeout(seconds, exception);
        t.start();
        return t;
    }

    /**
     * Arms it for the current greenlet (in a hub's own thread outside any greenlet: its main
     * greenlet). A timeout of null seconds is never pending.
     *
     * @throws IllegalStateException if it is already pending
     */
    public void start() {
        if (pending()) {
            throw new IllegalStateException("Timeout " + describe() + " is already pending; cancel it before starting it again");
        }
        if (seconds != null) {
            timer = GeventRuntime.get().startTimeout(seconds, raised());
        }
    }

    /** Cancels it if pending; once cancelled it never fires. Idempotent. */
    public void cancel() {
        TimeoutTimer t = timer;
        if (t != null) {
            t.cancel();
        }
    }

    /** @return true if started and neither fired nor cancelled */
    public boolean pending() {
        TimeoutTimer t = timer;
        return t != null && t.pending();
    }

    /** @return true if it has fired since it was last started (even if it was cancelled afterwards) */
    public boolean fired() {
        TimeoutTimer t = timer;
        return t != null && t.fired();
    }

    /** @return after how long it fires; null: never */
    public Duration seconds() {
        return seconds;
    }

    /** @return what it raises when it fires: the exception given at construction, or itself */
    public Throwable raised() {
        return exception != null ? exception : this;
    }

    /** The same as {@link #cancel()}. */
    @Override
    public void close() {
        cancel();
    }

    @Override
    public String getMessage() {
        return describe();
    }

    private String describe() {
        if (seconds == null) {
            return "never";
        }
        long ms = seconds.toMillis();
        String base = ms % 1000 == 0 ? (ms / 1000) + (ms == 1000 ? " second" : " seconds") : (ms / 1000.0) + " seconds";
        return exception == null ? base : base + " (raises " + Objects.toString(exception) + ")";
    }
}
