package dev.gevent;

import dev.gevent.spi.GeventRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * The top-level functions (gevent: the {@code gevent} package): spawning, sleeping, waiting,
 * killing, timeouts. Every blocking method here blocks only the calling greenlet; called from a
 * hub's own thread outside any greenlet, it runs the loop meanwhile; called from a hub callback,
 * it throws {@link BlockingSwitchOutError}.
 */
public final class Gevent {
    private Gevent() {
    }

    /**
     * Creates a greenlet running {@code fn} and starts it (gevent: {@code gevent.spawn}).
     *
     * @param fn the function, not null
     * @param <T> its result type
     * @return the started greenlet
     */
    public static <T> Greenlet<T> spawn(Callable<? extends T> fn) {
        Greenlet<T> g = Greenlet.of(fn);
        g.start();
        return g;
    }

    /**
     * Creates a greenlet running {@code fn} and starts it.
     *
     * @param fn the task, not null
     * @return the started greenlet
     */
    public static Greenlet<Void> spawn(ThrowingRunnable fn) {
        Greenlet<Void> g = Greenlet.of(fn);
        g.start();
        return g;
    }

    /**
     * Creates a greenlet running {@code fn} and starts it after {@code delay} (gevent:
     * {@code gevent.spawn_later}).
     *
     * @param delay not negative
     * @param fn the function, not null
     * @param <T> its result type
     * @return the greenlet
     */
    public static <T> Greenlet<T> spawnLater(Duration delay, Callable<? extends T> fn) {
        checkDuration(delay, "delay");
        Greenlet<T> g = Greenlet.of(fn);
        g.startLater(delay);
        return g;
    }

    /**
     * Creates a greenlet running {@code fn} and starts it after {@code delay}.
     *
     * @param delay not negative
     * @param fn the task, not null
     * @return the greenlet
     */
    public static Greenlet<Void> spawnLater(Duration delay, ThrowingRunnable fn) {
        checkDuration(delay, "delay");
        Greenlet<Void> g = Greenlet.of(fn);
        g.startLater(delay);
        return g;
    }

    /**
     * Starts the lightest kind of greenlet: no links, no result, no kill (gevent:
     * {@code gevent.spawn_raw}). An exception that escapes it is reported to the hub.
     *
     * @param fn the task, not null
     * @return its thread, started
     */
    public static Thread spawnRaw(ThrowingRunnable fn) {
        return GeventRuntime.get().spawnRaw(fn);
    }

    /** @return the running greenlet; in a hub's own thread outside any greenlet, its main greenlet */
    public static Greenlet<?> getCurrent() {
        return GeventRuntime.get().currentGreenlet();
    }

    /**
     * @return the current thread's hub, created on first use
     * @throws IllegalStateException on a virtual thread that is not a greenlet
     */
    public static Hub getHub() {
        return GeventRuntime.get().currentHub();
    }

    /**
     * Blocks the calling greenlet for {@code seconds}; {@link Duration#ZERO} lets every other
     * runnable greenlet run once and returns (gevent: {@code gevent.sleep}).
     *
     * @param seconds not negative
     * @throws IllegalArgumentException if negative
     */
    public static void sleep(Duration seconds) {
        checkDuration(seconds, "sleep duration");
        GeventRuntime.get().sleep(seconds);
    }

    /** The same as {@code sleep(Duration.ZERO)}: a cooperative yield. */
    public static void sleep() {
        GeventRuntime.get().sleep(Duration.ZERO);
    }

    /** Blocks the calling greenlet until the loop has nothing else to run (gevent: {@code gevent.idle}). */
    public static void idle() {
        GeventRuntime.get().idle();
    }

    /**
     * Raises a new {@link GreenletExit} in {@code g} without waiting.
     *
     * @param g the greenlet
     */
    public static void kill(Greenlet<?> g) {
        g.killAsync(new GreenletExit());
    }

    /**
     * Raises {@code exception} in {@code g} without waiting.
     *
     * @param g the greenlet
     * @param exception what to raise
     */
    public static void kill(Greenlet<?> g, Throwable exception) {
        g.killAsync(exception);
    }

    /**
     * Kills every greenlet with a {@link GreenletExit} and waits for them (gevent: {@code killall}).
     *
     * @param greenlets the greenlets
     */
    public static void killAll(Collection<? extends Greenlet<?>> greenlets) {
        killAll(greenlets, new GreenletExit(), true, null);
    }

    /**
     * Raises {@code exception} in every greenlet of {@code greenlets}, in order; if {@code block},
     * waits until they are dead.
     *
     * @param greenlets the greenlets
     * @param exception what to raise
     * @param block whether to wait
     * @param timeout how long to wait; null = none
     * @throws Timeout if {@code block} and they are not all dead in time
     */
    public static void killAll(Collection<? extends Greenlet<?>> greenlets, Throwable exception, boolean block, Duration timeout) {
        Objects.requireNonNull(exception, "exception");
        checkTimeout(timeout);
        List<Greenlet<?>> list = new ArrayList<>(greenlets);
        for (Greenlet<?> g : list) {
            g.killAsync(exception);
        }
        if (block) {
            List<Greenlet<?>> dead = wait(list, timeout, 0);
            if (dead.size() < list.size()) {
                throw new Timeout(timeout);
            }
        }
    }

    /**
     * Waits for every greenlet to die (gevent: {@code joinall}).
     *
     * @param greenlets the greenlets
     * @param <G> their type
     * @return those dead, in the order they died
     */
    public static <G extends Greenlet<?>> List<G> joinAll(Collection<G> greenlets) {
        return joinAll(greenlets, null, false, 0);
    }

    /**
     * Waits for the greenlets to die.
     *
     * @param greenlets the greenlets
     * @param timeout how long to wait; null = forever
     * @param raiseError if true, throws the exception of the first one that fails (rule of
     *     {@link Greenlet#get()})
     * @param <G> their type
     * @return those dead, in the order they died
     */
    public static <G extends Greenlet<?>> List<G> joinAll(Collection<G> greenlets, Duration timeout, boolean raiseError) {
        return joinAll(greenlets, timeout, raiseError, 0);
    }

    /**
     * Waits for {@code count} greenlets to die.
     *
     * @param greenlets the greenlets
     * @param timeout how long to wait; null = forever
     * @param raiseError if true, throws the exception of the first one that fails
     * @param count how many; 0 or less: all
     * @param <G> their type
     * @return those dead, in the order they died
     */
    public static <G extends Greenlet<?>> List<G> joinAll(Collection<G> greenlets, Duration timeout, boolean raiseError, int count) {
        List<G> done = new ArrayList<>();
        try (WaitIterator<G> it = iwait(greenlets, timeout, count)) {
            for (G g : it) {
                done.add(g);
                if (raiseError && !g.successful()) {
                    throw rethrow(g.exception());
                }
            }
        }
        return done;
    }

    /**
     * Waits until every object is ready (gevent: {@code gevent.wait(objects)}).
     *
     * @param objects the objects
     * @param <W> their type
     * @return them, in the order they became ready
     */
    public static <W extends Waitable> List<W> wait(Collection<W> objects) {
        return wait(objects, null, 0);
    }

    /**
     * Waits until {@code count} objects are ready or {@code timeout} elapsed.
     *
     * @param objects the objects
     * @param timeout how long; null = forever
     * @param count how many; 0 or less: all
     * @param <W> their type
     * @return those ready, in the order they became ready
     */
    public static <W extends Waitable> List<W> wait(Collection<W> objects, Duration timeout, int count) {
        List<W> done = new ArrayList<>();
        try (WaitIterator<W> it = iwait(objects, timeout, count)) {
            it.forEachRemaining(done::add);
        }
        return done;
    }

    /**
     * Iterates over the objects as they become ready (gevent: {@code gevent.iwait}).
     *
     * @param objects the objects
     * @param <W> their type
     * @return the iterator; close it
     */
    public static <W extends Waitable> WaitIterator<W> iwait(Collection<W> objects) {
        return iwait(objects, null, 0);
    }

    /**
     * Iterates over the objects as they become ready, at most {@code count} of them, until
     * {@code timeout} elapsed.
     *
     * @param objects the objects
     * @param timeout how long in all; null = forever
     * @param count how many; 0 or less: all
     * @param <W> their type
     * @return the iterator; close it
     */
    public static <W extends Waitable> WaitIterator<W> iwait(Collection<W> objects, Duration timeout, int count) {
        Objects.requireNonNull(objects, "objects");
        checkTimeout(timeout);
        return GeventRuntime.get().iwait(objects, timeout, count);
    }

    /**
     * Runs {@code fn} in the calling greenlet with a timeout (gevent: {@code gevent.with_timeout}).
     *
     * @param seconds the time limit; null = none
     * @param fn the function
     * @param <T> its result type
     * @return what {@code fn} returned
     * @throws Timeout if the time elapsed
     * @throws CompletionException wrapping a checked exception {@code fn} threw
     */
    public static <T> T withTimeout(Duration seconds, Callable<T> fn) {
        return withTimeout(seconds, fn, null, true);
    }

    /**
     * Runs {@code fn} with a timeout; returns {@code timeoutValue} if the time elapses.
     *
     * @param seconds the time limit; null = none
     * @param fn the function
     * @param timeoutValue what to return on timeout
     * @param <T> its result type
     * @return what {@code fn} returned, or {@code timeoutValue}
     */
    public static <T> T withTimeout(Duration seconds, Callable<T> fn, T timeoutValue) {
        return withTimeout(seconds, fn, timeoutValue, false);
    }

    private static <T> T withTimeout(Duration seconds, Callable<T> fn, T timeoutValue, boolean raise) {
        Objects.requireNonNull(fn, "fn");
        Timeout timeout = new Timeout(seconds);
        timeout.start();
        try {
            return fn.call();
        } catch (Throwable e) {
            // A timeout that interrupted a JDK call surfaces as that call's InterruptedException.
            if (e == timeout || (timeout.fired() && e instanceof InterruptedException)) {
                if (raise) {
                    throw timeout;
                }
                return timeoutValue;
            }
            throw rethrow(e);
        } finally {
            timeout.cancel();
        }
    }

    /**
     * Calls {@code handler} in a new greenlet of the current hub each time the process receives
     * {@code signal} (gevent: {@code gevent.signal_handler}). While it is installed the hub counts
     * as busy: {@link Hub#join()} does not return and a wait that only the handler can end does not
     * raise {@link LoopExit}.
     *
     * @param signal the signal's name without "SIG", e.g. "TERM", "HUP", "USR2"
     * @param handler what to run
     * @return a handle that restores the previous handler
     * @throws IllegalArgumentException if the signal is unknown or reserved by the JVM
     */
    public static Cancellable signalHandler(String signal, Runnable handler) {
        return GeventRuntime.get().signalHandler(signal, handler);
    }

    /**
     * Describes every open hub of the JVM and its greenlets (gevent:
     * {@code gevent.util.format_run_info}): for each hub its thread, loop and state, then each
     * greenlet's name, state, what it waits in, who spawned it, and its stack. Any thread may call
     * it, also while a hub is blocked; a hub that runs meanwhile may be caught between two steps.
     * The same text is the {@code dumpGreenlets} operation of the JMX MBean
     * {@code dev.gevent:type=Greenlets} (jconsole, VisualVM).
     *
     * @return the dump, one line per fact, stacks indented
     */
    public static String dumpGreenlets() {
        return GeventRuntime.get().dumpGreenlets();
    }

    /** @return how long the hub runs greenlets and callbacks before it polls for I/O (default 5 ms) */
    public static Duration getSwitchInterval() {
        return GeventRuntime.get().switchInterval();
    }

    /**
     * Sets how long the hub runs greenlets and callbacks before it polls for I/O and timers.
     *
     * @param interval positive
     * @throws IllegalArgumentException if not positive
     */
    public static void setSwitchInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("switch interval must be positive, got " + interval);
        }
        GeventRuntime.get().setSwitchInterval(interval);
    }

    private static void checkDuration(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
    }

    private static void checkTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
    }

    /**
     * Applies the re-throw rule: a RuntimeException or Error as it is, a checked exception wrapped
     * in CompletionException.
     */
    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new CompletionException(e);
    }
}
