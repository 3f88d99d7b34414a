package dev.gevent.event;

import dev.gevent.Greenlet;
import dev.gevent.Timeout;
import dev.gevent.Waitable;
import dev.gevent.internal.HubRef;
import dev.gevent.internal.WaitNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A value or an exception that greenlets wait for (gevent: {@code gevent.event.AsyncResult}): a
 * one-time event that carries a result. It is a {@link Greenlet#link} target: linking it to a
 * greenlet copies the greenlet's outcome into it.
 *
 * <p><b>Blocking.</b> {@link #get()} and {@link #await()} block only the calling greenlet.
 * {@link #set} and {@link #setException} never block and never switch, and are safe from ANY
 * thread: this is how a plain thread hands a result to a greenlet. Setting again replaces the
 * outcome for later readers (gevent does the same); waiters already woken keep what they saw.
 *
 * <p><b>Exceptions.</b> {@link #get()} re-throws the exception: the same instance for a
 * RuntimeException or an Error, a checked one wrapped in {@link CompletionException}.
 *
 * <p><b>Threads.</b> Waiters of different hubs may wait on one result; each is resumed on its own
 * hub. A wait that only another thread can end does not keep the waiter's hub alive (as in gevent,
 * a main greenlet with nothing else to do gets {@link dev.gevent.LoopExit}); {@link #of} and the
 * thread pool keep the hub alive while their work is outstanding.
 *
 * @param <T> the type of the value
 */
public final class AsyncResult<T> implements Waitable, Consumer<Greenlet<? extends T>> {
    private final Object lock = new Object();
    private final Subscribers subscribers = new Subscribers();
    private List<CompletableFuture<T>> futures;
    private volatile boolean ready;
    private T value;
    private Throwable exception;

    /** Creates an empty result. */
    public AsyncResult() {
    }

    /**
     * A result completed by {@code stage}; the calling thread's hub stays alive until it completes.
     *
     * @param stage the stage
     * @param <T> the value type
     * @return the result
     */
    public static <T> AsyncResult<T> of(CompletionStage<? extends T> stage) {
        Objects.requireNonNull(stage, "stage");
        AsyncResult<T> result = new AsyncResult<>();
        HubRef hub = HubRef.current();
        hub.retain();
        stage.whenComplete((v, e) -> {
            if (e != null) {
                result.setException(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            } else {
                result.set(v);
            }
            hub.release();
        });
        return result;
    }

    /**
     * Stores {@code v} and wakes every waiter; any thread; never blocks.
     *
     * @param v the value
     */
    public void set(T v) {
        complete(v, null);
    }

    /**
     * Stores {@code error} and wakes every waiter; any thread; never blocks.
     *
     * @param error the exception, not null
     */
    public void setException(Throwable error) {
        complete(null, Objects.requireNonNull(error, "setException: the error must not be null"));
    }

    private void complete(T v, Throwable error) {
        List<Object> snapshot;
        List<CompletableFuture<T>> toComplete;
        synchronized (lock) {
            value = v;
            exception = error;
            ready = true;
            snapshot = subscribers.snapshot();
            toComplete = futures;
            futures = null;
        }
        Subscribers.notify(snapshot, lock, subscribers);
        if (toComplete != null) {
            for (CompletableFuture<T> f : toComplete) {
                if (error == null) {
                    f.complete(v);
                } else {
                    f.completeExceptionally(error);
                }
            }
        }
    }

    /** Copies the outcome of {@code g}, which must be dead: the link-target form. */
    @Override
    public void accept(Greenlet<? extends T> g) {
        if (g.successful()) {
            set(g.value());
        } else {
            setException(g.exception());
        }
    }

    @Override
    public boolean ready() {
        return ready;
    }

    /** @return true if ready with a value */
    public boolean successful() {
        synchronized (lock) {
            return ready && exception == null;
        }
    }

    /** @return the value, or null if not ready or failed */
    public T value() {
        synchronized (lock) {
            return ready ? value : null;
        }
    }

    /** @return the exception, or null if not ready or successful */
    public Throwable exception() {
        synchronized (lock) {
            return ready ? exception : null;
        }
    }

    /**
     * Blocks the calling greenlet until ready.
     *
     * @return the value
     * @throws RuntimeException or Error: the stored exception; checked ones wrapped in CompletionException
     */
    public T get() {
        waitReady(null);
        return outcome();
    }

    /**
     * Blocks the calling greenlet until ready or {@code timeout} elapsed.
     *
     * @param timeout null = forever
     * @return the value
     * @throws Timeout if not ready in time
     */
    public T get(Duration timeout) {
        if (!waitReady(timeout)) {
            throw new Timeout(timeout);
        }
        return outcome();
    }

    /**
     * The result without blocking (gevent: {@code get(block=False)}).
     *
     * @return the value
     * @throws Timeout if not ready
     */
    public T getNow() {
        if (!ready) {
            throw new Timeout(Duration.ZERO);
        }
        return outcome();
    }

    /**
     * Blocks until ready (gevent: {@code AsyncResult.wait()}); never throws the stored exception.
     *
     * @return the value, or null if failed
     */
    public T await() {
        return await(null);
    }

    /**
     * Blocks until ready or {@code timeout} elapsed; never throws the stored exception.
     *
     * @param timeout null = forever
     * @return the value, or null if failed or not ready in time
     */
    public T await(Duration timeout) {
        waitReady(timeout);
        return value();
    }

    /**
     * A future completed with this result (now, if it is ready).
     *
     * @return a new CompletableFuture; completing it does not affect this result
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> f = new CompletableFuture<>();
        T v;
        Throwable e;
        synchronized (lock) {
            if (!ready) {
                if (futures == null) {
                    futures = new ArrayList<>(1);
                }
                futures.add(f);
                return f;
            }
            v = value;
            e = exception;
        }
        if (e == null) {
            f.complete(v);
        } else {
            f.completeExceptionally(e);
        }
        return f;
    }

    private T outcome() {
        Throwable e;
        T v;
        synchronized (lock) {
            e = exception;
            v = value;
        }
        if (e != null) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new CompletionException(e);
        }
        return v;
    }

    /** @return whether ready */
    private boolean waitReady(Duration timeout) {
        Event.checkTimeout(timeout);
        if (ready) {
            return true;
        }
        WaitNode node = WaitNode.forCurrentStrand();
        synchronized (lock) {
            if (ready) {
                return true;
            }
            subscribers.add(node);
        }
        subscribers.await(node, timeout, lock);
        return ready;
    }

    @Override
    public void rawlink(Runnable callback) {
        subscribers.link(callback, lock, () -> ready);
    }

    @Override
    public void unlink(Runnable callback) {
        subscribers.unlink(callback, lock);
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "AsyncResult[" + (!ready ? "pending" : exception != null ? "failed: " + exception : "value: " + value) + "]";
        }
    }
}
