package dev.gevent.internal;

import dev.gevent.Hub;
import dev.gevent.event.AsyncResult;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs a step in a greenlet of another hub and waits for its result: how the servers that run hubs
 * of their own ({@code StreamServer.hubs(n)}, the HTTP server created outside any hub) bind, start
 * and stop what lives on each of their hubs. The caller waits cooperatively when it runs a hub (its
 * other greenlets go on), and blocks its thread when it runs none (a plain thread gets no hub of its
 * own for this).
 */
public final class HubCall {
    /** A step that throws only I/O failures (besides unchecked ones). */
    @FunctionalInterface
    public interface IoCallable<T> {
        T call() throws IOException;
    }

    private HubCall() {
    }

    /**
     * Runs {@code fn} in a new greenlet of {@code hub} and waits for it.
     *
     * @param hub another hub than the caller's
     * @return what {@code fn} returned
     * @throws IOException what {@code fn} threw; its unchecked exceptions are rethrown as they are
     */
    public static <T> T call(Hub hub, IoCallable<T> fn) throws IOException {
        CompletableFuture<T> result = new CompletableFuture<>();
        hub.spawn(() -> {
            try {
                result.complete(fn.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            // AsyncResult.of keeps the caller's hub alive while only the other hub can end the wait
            return HubRef.currentIfAny() != null ? AsyncResult.of(result).get() : result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
