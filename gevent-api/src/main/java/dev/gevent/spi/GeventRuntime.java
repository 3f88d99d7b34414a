package dev.gevent.spi;

import dev.gevent.Cancellable;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.ThrowingRunnable;
import dev.gevent.WaitIterator;
import dev.gevent.Waitable;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Callable;

/**
 * The runtime SPI: what the {@code dev.gevent} facade needs from an implementation. gevent-core
 * registers one with {@link java.util.ServiceLoader}, so that code compiled against gevent-api
 * alone runs with whatever runtime is on the class path. Applications do not call it.
 */
public interface GeventRuntime {

    /**
     * @return the runtime found on the class path
     * @throws IllegalStateException if there is none
     */
    static GeventRuntime get() {
        return RuntimeLoader.RUNTIME;
    }

    /** @return the current thread's hub, created on first use */
    Hub currentHub();

    /** @return the running greenlet, or the main greenlet of the current hub */
    Greenlet<?> currentGreenlet();

    /**
     * @param fn the function
     * @param <T> its result type
     * @return a new, unstarted greenlet of the current hub
     */
    <T> Greenlet<T> newGreenlet(Callable<? extends T> fn);

    /**
     * @param fn the task
     * @return a new, unstarted greenlet of the current hub
     */
    Greenlet<Void> newGreenlet(ThrowingRunnable fn);

    /**
     * @param fn the task
     * @return the started thread of a raw greenlet of the current hub
     */
    Thread spawnRaw(ThrowingRunnable fn);

    /** @param duration how long the current greenlet sleeps; zero: a cooperative yield */
    void sleep(Duration duration);

    /** Blocks the current greenlet until its hub has nothing else to run. */
    void idle();

    /**
     * Arms a timer that raises {@code toRaise} in the current greenlet after {@code duration}.
     *
     * @param duration not negative
     * @param toRaise what the greenlet's blocking call throws
     * @return the armed timer
     */
    TimeoutTimer startTimeout(Duration duration, Throwable toRaise);

    /**
     * @param objects the objects to wait for
     * @param timeout null = forever
     * @param count 0 or less: all
     * @param <W> their type
     * @return an iterator over them as they become ready
     */
    <W extends Waitable> WaitIterator<W> iwait(Collection<W> objects, Duration timeout, int count);

    /**
     * @param signal the signal's name without "SIG"
     * @param handler run in a new greenlet of the current hub on each delivery
     * @return a handle that restores the previous handler
     */
    Cancellable signalHandler(String signal, Runnable handler);

    /** @return the switch interval */
    Duration switchInterval();

    /** @param interval the new switch interval, positive */
    void setSwitchInterval(Duration interval);

    /**
     * @param name the thread's name
     * @return the hub of a new platform thread that runs it until closed
     */
    Hub startHubThread(String name);

    /**
     * @return a description of every open hub and its greenlets, see {@code Gevent.dumpGreenlets()}
     * @throws UnsupportedOperationException if this runtime cannot describe its greenlets
     */
    default String dumpGreenlets() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot dump its greenlets");
    }

    /**
     * @param name the thread's name
     * @param loop the loop backend of the new hub
     * @return the hub of a new platform thread that runs it until closed, on that loop
     */
    Hub startHubThread(String name, LoopProvider loop);
}
