package dev.gevent.subprocess;

import dev.gevent.event.AsyncResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The blocking side of a child's pipes. A {@link Process}'s streams are blocking reads and writes
 * on pipes: on a greenlet they would hold the hub's thread. They run here, on platform daemon
 * threads shared by every process of the JVM (created on demand, kept a minute when idle), and
 * the greenlet waits for the outcome through an {@link AsyncResult}, which keeps its hub alive.
 */
final class PipeIo {
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("gevent-pipe-", 0).daemon(true).factory());

    private PipeIo() {
    }

    /** Blocking I/O to run on a pipe thread. */
    @FunctionalInterface
    interface Blocking<T> {
        T call() throws IOException;
    }

    /** Starts {@code op} on a pipe thread. */
    static <T> CompletableFuture<T> submit(Blocking<T> op) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return op.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, THREADS);
    }

    /** Waits for {@code f} cooperatively: only the calling greenlet blocks. */
    static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return AsyncResult.of(f).get();
        } catch (CompletionException | UncheckedIOException e) {
            Throwable cause = e;
            while ((cause instanceof CompletionException || cause instanceof UncheckedIOException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
