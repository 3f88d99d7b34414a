package dev.gevent.http.internal;

import dev.gevent.queue.Queue;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Carries the I/O of a handler that runs on the server's executor (another thread) to the
 * connection's greenlet, which owns the socket: the handler's thread queues each step and waits for
 * its result (a plain {@link CompletableFuture}: the executor's threads may be anything, platform
 * threads without a hub included); the greenlet runs the steps in order until the handler is done. Once the connection
 * ends (its greenlet killed, say), every step fails with an {@link AsynchronousCloseException}.
 */
final class Relay {
    private record Step(Exchange.IoStep<?> io, CompletableFuture<Object> result) {
    }

    private static final Step DONE = new Step(null, null);

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

    /** In the connection's greenlet: runs the queued steps until {@link #done()}; then closes. */
    void serve() {
        try {
            Step step;
            while ((step = steps.get()) != DONE) {
                try {
                    step.result.complete(step.io.run());
                } catch (Throwable e) {
                    step.result.completeExceptionally(e);
                }
            }
        } finally {
            close();
        }
    }

    private synchronized void close() {
        closed = true;
        while (!steps.empty()) {
            Step step = steps.getNowait();
            if (step != DONE) {
                step.result.completeExceptionally(new AsynchronousCloseException());
            }
        }
    }
}
