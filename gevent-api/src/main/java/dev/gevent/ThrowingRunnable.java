package dev.gevent;

/**
 * A task that returns nothing and may throw any exception: the body of a greenlet spawned for its
 * effect (gevent: a function passed to {@code spawn} whose result is ignored).
 */
@FunctionalInterface
public interface ThrowingRunnable {
    /**
     * Runs the task.
     *
     * @throws Exception whatever the task throws; a greenlet records it as its exception
     */
    void run() throws Exception;
}
