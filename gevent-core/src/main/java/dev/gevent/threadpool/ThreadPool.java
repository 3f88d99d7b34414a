package dev.gevent.threadpool;

import dev.gevent.LoopExit;
import dev.gevent.event.AsyncResult;
import dev.gevent.internal.HubRef;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * Runs functions on real platform threads, for work that would block the hub: CPU-heavy code,
 * blocking native calls, libraries that block outside the JDK's cooperative calls (gevent:
 * {@code gevent.threadpool.ThreadPool}; each hub's default pool, gevent's
 * {@code hub.threadpool}, is {@link #forHub()}).
 *
 * <p><b>Threads.</b> At most {@code maxThreads} daemon platform threads named
 * {@code gevent-threadpool-N}, started on demand: a new one only when the waiting tasks outnumber
 * the idle ones. Tasks beyond that wait and start in the order they were spawned. A thread idle
 * for a minute ends. A task runs on its pool thread, not in a greenlet: it may block that thread
 * freely, and gevent calls made inside it use the pool thread's own hub.
 *
 * <p><b>Results.</b> {@link #spawn} returns an {@link AsyncResult} that gets the function's value
 * or the exception it threw; a failed task is not reported to any hub's error handler, since its
 * exception is in the result. {@link #apply} waits for it and applies the re-throw rule: a
 * RuntimeException or an Error as it is, a checked exception wrapped in
 * {@link CompletionException}.
 *
 * <p><b>Keep-alive.</b> From {@link #spawn} until its result is delivered, the hub of the thread
 * that called {@code spawn} counts the task as something that will wake it: a main greenlet
 * waiting for the result gets no {@link LoopExit} meanwhile. A greenlet of another hub, or a plain
 * thread, that waits on the same result is not kept alive by it.
 *
 * <p><b>Blocking.</b> {@link #spawn} never blocks. {@link #apply} and {@link #close()} block only
 * the calling greenlet; the hub goes on running its other greenlets (a hub's main greenlet runs the
 * loop meanwhile; a plain platform thread runs a hub of its own, as with every gevent wait). A kill
 * or a {@link dev.gevent.Timeout} ends the wait at once, but not the task: as in gevent, a running
 * thread cannot be cancelled, so the task runs to its end, and the spawning hub stays kept alive
 * until then.
 *
 * <p><b>Thread-safety.</b> Every method may be called from greenlets of any hub and from plain
 * platform threads; one pool serves them all. On a plain platform thread the pool uses that
 * thread's hub, made on first use as by every gevent call: close it when the thread is done with
 * gevent. A JDK virtual thread that is not a greenlet has no hub and cannot use the pool. A hub
 * callback may call {@link #spawn} but not the blocking methods.
 */
public final class ThreadPool implements AutoCloseable {
    /** The system property that sizes the default pools. */
    public static final String SIZE_PROPERTY = "gevent.threadpool.size";
    /** The environment variable read when {@link #SIZE_PROPERTY} is not set. */
    public static final String SIZE_ENV = "GEVENT_THREADPOOL_SIZE";
    /** The size of a default pool when neither setting is present (gevent's default too). */
    public static final int DEFAULT_SIZE = 10;

    private final int maxThreads;
    private final Workers workers;

    /**
     * A pool of at most {@code maxThreads} threads; none is started before the first task.
     *
     * @param maxThreads the most threads running tasks at once (gevent: {@code maxsize})
     * @throws IllegalArgumentException if {@code maxThreads} is less than 1
     */
    public ThreadPool(int maxThreads) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("ThreadPool: maxThreads must be >= 1, got " + maxThreads);
        }
        this.maxThreads = maxThreads;
        this.workers = new Workers(maxThreads);
    }

    /**
     * The default pool of the calling thread's hub (gevent: {@code get_hub().threadpool}): made on
     * first use, sized by the system property {@value #SIZE_PROPERTY}, else the environment
     * variable {@value #SIZE_ENV}, else {@value #DEFAULT_SIZE}; closed when the hub closes, which
     * then waits for its running tasks. Do not close it yourself: the hub would be left with a
     * closed default pool.
     *
     * @return the same pool for every call on one hub, a different one on another hub
     * @throws IllegalArgumentException if the size setting is not a whole number of at least 1
     * @throws IllegalStateException if the hub is closed
     */
    public static ThreadPool forHub() {
        return HubRef.current().resource(ThreadPool.class, () -> new ThreadPool(configuredSize()));
    }

    private static int configuredSize() {
        String setting = SIZE_PROPERTY;
        String value = System.getProperty(SIZE_PROPERTY);
        if (value == null || value.isBlank()) {
            setting = SIZE_ENV;
            value = System.getenv(SIZE_ENV);
        }
        if (value == null || value.isBlank()) {
            return DEFAULT_SIZE;
        }
        try {
            int size = Integer.parseInt(value.trim());
            if (size >= 1) {
                return size;
            }
        } catch (NumberFormatException e) {
            throw badSize(setting, value, e);
        }
        throw badSize(setting, value, null);
    }

    private static IllegalArgumentException badSize(String setting, String value, Throwable cause) {
        return new IllegalArgumentException(setting + "=" + value + ": the default thread pool size must be a whole number >= 1", cause);
    }

    /** @return the most threads this pool runs at once */
    public int maxThreads() {
        return maxThreads;
    }

    /**
     * Runs {@code fn} on a pool thread (gevent: {@code ThreadPool.spawn}). Never blocks; the
     * calling thread's hub is kept alive until the result is delivered.
     *
     * @param fn the function; it runs on a plain platform thread
     * @param <T> the type of its value
     * @return a result that gets the value {@code fn} returned or the exception it threw
     * @throws IllegalStateException if the pool is closed
     */
    public <T> AsyncResult<T> spawn(Callable<? extends T> fn) {
        Objects.requireNonNull(fn, "spawn: the function must not be null");
        AsyncResult<T> result = new AsyncResult<>();
        HubRef hub = HubRef.current();
        // Before the task can run, so that the hub sees its retain before the task's release.
        hub.retain();
        try {
            workers.execute(new Task<>(fn, result, hub));
        } catch (Throwable e) {
            hub.release();
            throw e;
        }
        return result;
    }

    /**
     * Runs {@code fn} on a pool thread and waits for it (gevent: {@code ThreadPool.apply}),
     * blocking only the calling greenlet. A kill or Timeout ends the wait, not the task.
     *
     * @param fn the function; it runs on a plain platform thread
     * @param <T> the type of its value
     * @return what {@code fn} returned
     * @throws RuntimeException or Error: what {@code fn} threw, the same instance
     * @throws CompletionException wrapping a checked exception {@code fn} threw
     * @throws IllegalStateException if the pool is closed
     */
    public <T> T apply(Callable<? extends T> fn) {
        return this.<T>spawn(fn).get();
    }

    /**
     * Stops accepting tasks, waits until every task already spawned has finished (those still
     * queued run too), then lets the threads end (gevent: {@code kill} after {@code join}). Only
     * the calling greenlet waits, and its hub is kept alive meanwhile; a kill or Timeout ends the
     * wait, the pool staying closed. Called from one of the pool's own tasks it cannot wait for
     * itself, and returns at once. Idempotent.
     */
    @Override
    public void close() {
        workers.shutdown();
        if (workers.terminated().isSet() || workers.isOwnThread()) {
            return;
        }
        HubRef hub = HubRef.current();
        hub.retain();
        try {
            workers.terminated().await();
        } finally {
            hub.release();
        }
    }

    @Override
    public String toString() {
        return "ThreadPool[maxThreads=" + maxThreads + "]";
    }

    /** One spawned function: delivers its outcome, then lets the spawning hub go. */
    private record Task<T>(Callable<? extends T> fn, AsyncResult<T> result, HubRef hub) implements Runnable {
        @Override
        public void run() {
            try {
                result.set(fn.call());
            } catch (Throwable e) {
                result.setException(e);
            } finally {
                // After the outcome: the wake-up of a waiting main greenlet is queued on its hub before the release.
                hub.release();
            }
        }
    }
}
