package dev.gevent.http.internal;

import dev.gevent.queue.Empty;
import dev.gevent.queue.Queue;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * Carries the I/O of an exchange used outside its connection's greenlet (a handler on the server's
 * executor, or any thread or greenlet the exchange was handed to) to that greenlet, which owns the
 * socket: the other thread queues each step and waits for its result (a plain
 * {@link CompletableFuture}: the threads may be anything, platform threads without a hub
 * included); the greenlet runs the steps in order while it serves the relay. Once the exchange
 * ends (or its greenlet is killed), every step fails with an {@link AsynchronousCloseException}.
 */
final class Relay {
    private record Step(Exchange.IoStep<?> io, CompletableFuture<Object> result) {
    }

    private static final Step DONE = new Step(null, null);
    private static final Step WAKE = new Step(null, null);
    private static final Step STOP = new Step(null, null);

    private final Queue<Step> steps = new Queue<>();
    private boolean closed;

    /** On the handler's thread: runs {@code io} in the connection's greenlet and returns its result. */
    @SuppressWarnings("unchecked")
    <T> T call(Exchange.IoStep<T> io) throws IOException {
        CompletableFuture<Object> result = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            steps.put(new Step(io, result));
        }
        Throwable failure;
        try {
            return (T) result.join();
        } catch (CompletionException e) {
            failure = e.getCause();
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IOException(failure);
    }

    /** On the handler's thread, once the handler returned or threw. */
    void done() {
        steps.put(DONE);
    }

    /** Any thread: makes {@link #serveUntil} look at its condition again. */
    void wake() {
        steps.put(WAKE);
    }

    /** Any thread: ends {@link #serveUntilStopped()} once the steps queued before are run. */
    void stop() {
        steps.put(STOP);
    }

    /** In a greenlet of the connection's hub: runs the queued steps until {@link #stop()} or {@link #close()}. */
    void serveUntilStopped() {
        Step step;
        while ((step = steps.get()) != STOP) {
            run(step);
        }
    }

    /** In the connection's greenlet: runs the queued steps until {@link #done()}. */
    void serveUntilDone() {
        Step step;
        while ((step = steps.get()) != DONE) {
            run(step);
        }
    }

    /**
     * In the connection's greenlet: runs the queued steps until {@code finished} holds.
     *
     * @param idle the longest wait for the next step; null = forever
     * @return false if no step came within {@code idle}
     */
    boolean serveUntil(BooleanSupplier finished, Duration idle) {
        while (!finished.getAsBoolean()) {
            Step step;
            try {
                step = steps.get(idle);
            } catch (Empty e) {
                return false;
            }
            run(step);
        }
        return true;
    }

    private static void run(Step step) {
        if (step.io == null) {
            return;
        }
        try {
            step.result.complete(step.io.run());
        } catch (Throwable e) {
            step.result.completeExceptionally(e);
        }
    }

    /** In the connection's greenlet, once the exchange ended: fails the queued steps and the later ones. */
    synchronized void close() {
        closed = true;
        while (!steps.empty()) {
            Step step = steps.getNowait();
            if (step.result != null) {
                step.result.completeExceptionally(new AsynchronousCloseException());
            }
        }
        stop();
    }
}
