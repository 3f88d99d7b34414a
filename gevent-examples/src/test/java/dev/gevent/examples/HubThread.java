package dev.gevent.examples;

import dev.gevent.Hub;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A hub on a platform thread of its own, where a test runs an example the way its {@code main}
 * would, while the test's own thread plays the client with plain JDK sockets. Errors the hub
 * reports (a greenlet that threw) are kept, so that a test can check there were none.
 */
final class HubThread implements AutoCloseable {
    private static final long CALL_LIMIT_SECONDS = 20;

    private final Hub hub;
    private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());

    HubThread(String name) throws Exception {
        hub = Hub.startThread(name);
        call(() -> {
            hub.setErrorHandler((context, error) -> errors.add(error));
            return null;
        });
    }

    /**
     * Runs {@code fn} in a new greenlet of this hub and waits, on the calling plain thread, for
     * its result.
     */
    <T> T call(Callable<T> fn) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        hub.spawn(() -> {
            try {
                result.complete(fn.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(CALL_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** @return what the hub reported so far */
    List<Throwable> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    @Override
    public void close() {
        hub.close();
    }
}
