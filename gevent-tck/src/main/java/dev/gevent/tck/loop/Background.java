package dev.gevent.tck.loop;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A peer's work on its own platform thread, for what must block while the test thread polls (a
 * blocking {@code java.net} reader, a thread calling {@code wakeup()}).
 *
 * @param <T> what the work returns
 */
final class Background<T> {
    private final FutureTask<T> task;

    private Background(FutureTask<T> task) {
        this.task = task;
    }

    static <T> Background<T> start(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        // Daemon: a peer left blocked by a failed test must not keep the JVM alive.
        Thread.ofPlatform().name("tck-peer-" + name).daemon(true).start(task);
        return new Background<>(task);
    }

    /** @return whether the work has ended */
    boolean done() {
        return task.isDone();
    }

    /** Waits for the work and returns its result; its failure fails the test. */
    T join() throws InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw new AssertionError("the peer thread failed", e.getCause());
        }
    }
}
