package dev.gevent;

import dev.gevent.spi.GeventRuntime;
import dev.gevent.spi.LoopProvider;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;

/**
 * The event loop of one platform thread and the scheduler of its greenlets (gevent:
 * {@code gevent.hub.Hub}). Each platform thread gets its own hub on first use of
 * {@link Gevent#getHub()}. The thread's own code is the hub's main greenlet: when it blocks, it
 * runs the loop until what it waits for is ready.
 *
 * <p>Methods marked "hub thread only" throw {@link IllegalStateException} when called from any
 * other thread. The loop backend is chosen at creation: {@code -Dgevent.loop=NAME} (else the
 * environment variable {@code GEVENT_LOOP}), else the available backend of highest priority.
 */
public interface Hub extends AutoCloseable {

    /** @return the name of the loop backend: {@code "nio"}, {@code "epoll"} or {@code "io_uring"} */
    String loopName();

    /** @return the platform thread this hub runs on */
    Thread thread();

    /**
     * Runs the loop until nothing is left to do: no runnable greenlet or callback, no timer, no
     * pending I/O, no greenlet blocked in a JDK call (gevent: {@code gevent.wait()} with no
     * objects). Called by the main greenlet.
     *
     * @return true
     */
    boolean join();

    /**
     * Like {@link #join()}, at most {@code timeout}.
     *
     * @param timeout how long; null = forever
     * @return false if the timeout came first
     */
    boolean join(Duration timeout);

    /**
     * Runs {@code callback} in the hub, FIFO with greenlet wake-ups, in this or the next loop
     * iteration (gevent: {@code loop.run_callback}). Hub thread only.
     *
     * @param callback what to run; must not block
     * @return a handle that withdraws it
     */
    Cancellable callSoon(Runnable callback);

    /**
     * Runs {@code callback} in the hub after {@code delay} (gevent: {@code loop.timer}). Hub thread
     * only.
     *
     * @param delay not negative
     * @param callback what to run; must not block
     * @return a handle that cancels the timer
     */
    Cancellable callLater(Duration delay, Runnable callback);

    /**
     * Runs {@code callback} in the hub, from ANY thread, and wakes the loop (gevent:
     * {@code loop.run_callback_threadsafe}).
     *
     * @param callback what to run; must not block
     */
    void callThreadSafe(Runnable callback);

    /**
     * @param <T> the value type
     * @return a new one-shot waiter of this hub
     */
    <T> Waiter<T> newWaiter();

    /**
     * Creates and starts a greenlet of this hub, from ANY thread (gevent:
     * {@code hub.loop.run_callback_threadsafe(spawn, ...)}).
     *
     * @param fn the function
     * @param <T> its result type
     * @return the started greenlet
     */
    <T> Greenlet<T> spawn(Callable<? extends T> fn);

    /**
     * Creates and starts a greenlet of this hub, from ANY thread.
     *
     * @param fn the task
     * @return the started greenlet
     */
    Greenlet<Void> spawn(ThrowingRunnable fn);

    /**
     * @return a factory whose every new (unstarted) {@link Thread} is a greenlet of this hub; usable
     *     from ANY thread
     */
    ThreadFactory threadFactory();

    /**
     * @return a new executor service that runs each task as a greenlet of this hub; usable from
     *     ANY thread. Shutting it down affects only that executor.
     */
    ExecutorService executor();

    /**
     * Replaces the reporter of failed greenlets and throwing callbacks (stderr by default).
     *
     * @param handler called on the hub thread with the context (the Greenlet, or the callback that
     *     threw) and the exception; a throwing handler is reported to stderr and the hub goes on
     */
    void setErrorHandler(BiConsumer<Object, Throwable> handler);

    /**
     * @return how many greenlets of this hub are alive: started and running, runnable or parked,
     *     not yet dead; the main greenlet is not counted. Exact on the hub thread and its greenlets;
     *     from another thread, a recent value. (gevent has no such count: its users walk
     *     {@code gc.get_objects()}; a server's leak check wants it cheap.)
     */
    int greenletCount();

    /**
     * Kills the greenlets left, closes the loop and ends this hub; from ANY thread, idempotent.
     * {@link Gevent#getHub()} on the hub's thread afterwards makes a fresh hub.
     */
    @Override
    void close();

    /**
     * Starts a new platform thread running a hub until {@link #close()}.
     *
     * @param name the thread's name
     * @return the hub, already running
     */
    static Hub startThread(String name) {
        return GeventRuntime.get().startHubThread(name);
    }

    /**
     * Starts a new platform thread running a hub on the loop that {@code loop} opens, whatever
     * {@code gevent.loop} names: to run hubs of several backends in one process, or a backend
     * wrapped by instrumentation (the TCK's fault injection wraps the loop under test this way).
     *
     * @param name the thread's name
     * @param loop the loop backend of the new hub; its {@code unavailableReason()} must be null
     * @return the hub, already running
     * @throws IllegalStateException if that loop cannot run here (with the provider's reason)
     */
    static Hub startThread(String name, LoopProvider loop) {
        return GeventRuntime.get().startHubThread(name, loop);
    }
}
