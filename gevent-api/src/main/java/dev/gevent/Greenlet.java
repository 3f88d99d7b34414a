package dev.gevent;

import dev.gevent.spi.GeventRuntime;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A cooperatively scheduled unit of execution with a result (gevent: {@code gevent.Greenlet}).
 * A greenlet is a virtual thread whose only carrier is its hub's platform thread: greenlets of one
 * hub never run in parallel, and one runs until it blocks in a cooperative call.
 *
 * <p><b>Threads.</b> A greenlet belongs to the hub it was created in. {@link #start()},
 * {@link #join()}, {@link #get()}, the kill methods and the query methods may be called from any
 * thread; a waiter from another hub is resumed on its own hub. Links run in the greenlet's hub.
 *
 * <p><b>Exceptions.</b> {@link #get()} re-throws the exception that ended the greenlet: the same
 * instance for a {@link RuntimeException} or an {@link Error}; a checked exception wrapped in a
 * {@link java.util.concurrent.CompletionException}. A {@link GreenletExit} counts as success.
 * An exception that escapes the function is reported once to the hub's error handler.
 *
 * @param <T> the type of the value the function returns
 */
public interface Greenlet<T> extends Waitable {

    /**
     * Creates a greenlet of the current thread's hub that will run {@code fn}; it is not started.
     *
     * @param fn the function, not null
     * @param <T> its result type
     * @return the new greenlet
     * @throws NullPointerException if {@code fn} is null
     */
    static <T> Greenlet<T> of(Callable<? extends T> fn) {
        return GeventRuntime.get().newGreenlet(fn);
    }

    /**
     * Creates a greenlet of the current thread's hub that will run {@code fn}; it is not started.
     *
     * @param fn the task, not null
     * @return the new greenlet; its value is always null
     * @throws NullPointerException if {@code fn} is null
     */
    static Greenlet<Void> of(ThrowingRunnable fn) {
        return GeventRuntime.get().newGreenlet(fn);
    }

    /** @return the name, e.g. {@code "Greenlet-12"}; {@code toString()} adds the function and the state */
    String name();

    /** @return the hub this greenlet belongs to */
    Hub hub();

    /** Schedules it to run in this loop iteration, after what is already runnable; a no-op if already started. */
    void start();

    /**
     * Schedules it to run after {@code delay}; a no-op if already started.
     *
     * @param delay how long to wait, not negative
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    void startLater(Duration delay);

    /** @return true once {@code start()} or {@code startLater()} was called; stays true after death */
    boolean started();

    /** @return true once dead; the same as {@link #dead()} */
    @Override
    boolean ready();

    /** @return true once it finished, failed, or was killed (also when killed before it ever ran) */
    boolean dead();

    /** @return true if it finished without an exception; a {@link GreenletExit} counts as success */
    boolean successful();

    /** @return the value the function returned; null otherwise (also after a {@link GreenletExit}) */
    T value();

    /** @return the exception that ended it; null if it is successful or not dead yet */
    Throwable exception();

    /**
     * Blocks the calling greenlet until this one is dead.
     *
     * @return its value
     * @throws RuntimeException or {@link Error}: the very exception that ended it
     * @throws java.util.concurrent.CompletionException wrapping a checked exception that ended it
     */
    T get();

    /**
     * Like {@link #get()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; null = forever
     * @return its value
     * @throws Timeout if it is not dead in time (it keeps running)
     */
    T get(Duration timeout);

    /**
     * Like {@link #get()} without blocking (gevent: {@code get(block=False)}).
     *
     * @return its value
     * @throws Timeout if it is not dead yet
     */
    T getNow();

    /** Blocks the calling greenlet until this one is dead; never throws its exception. */
    void join();

    /**
     * Blocks the calling greenlet until this one is dead or {@code timeout} elapsed.
     *
     * @param timeout how long to wait; null = forever
     * @return {@link #dead()}
     */
    boolean join(Duration timeout);

    /** Raises a new {@link GreenletExit} in it and blocks until it is dead. A no-op if dead. */
    void kill();

    /**
     * Raises {@code exception} in it at its current blocking point and blocks until it is dead. A
     * greenlet that has not run yet never runs and is dead at once with {@code exception}. A
     * greenlet blocked in a JDK call (Thread.sleep, a lock) is interrupted; the exception is
     * raised at its next cooperative switch.
     *
     * @param exception what to raise, not null
     */
    void kill(Throwable exception);

    /**
     * Like {@link #kill(Throwable)}, blocking at most {@code timeout}.
     *
     * @param exception what to raise, not null
     * @param timeout how long to wait for it to die; null = forever
     * @return {@link #dead()}
     */
    boolean kill(Throwable exception, Duration timeout);

    /**
     * Raises {@code exception} in it without waiting (gevent: {@code kill(block=False)}).
     *
     * @param exception what to raise, not null
     */
    void killAsync(Throwable exception);

    /**
     * Calls {@code callback} with this greenlet once it is dead, in a new greenlet. Callbacks run in
     * the order they were added; one added after death runs soon.
     *
     * @param callback what to call, not null
     */
    void link(Consumer<? super Greenlet<T>> callback);

    /** Like {@link #link}, only if it ends successfully. @param callback what to call, not null */
    void linkValue(Consumer<? super Greenlet<T>> callback);

    /** Like {@link #link}, only if it fails. @param callback what to call, not null */
    void linkException(Consumer<? super Greenlet<T>> callback);

    /**
     * Removes a callback added by {@link #link}, {@link #linkValue} or {@link #linkException}.
     *
     * @param callback the callback as given
     */
    void unlink(Consumer<? super Greenlet<T>> callback);
}
