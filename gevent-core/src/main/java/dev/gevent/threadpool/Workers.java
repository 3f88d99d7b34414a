package dev.gevent.threadpool;

import dev.gevent.event.Event;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The platform threads of one {@link ThreadPool} and their FIFO task queue.
 *
 * <p>A thread is started only when the queued tasks outnumber the idle threads (gevent's rule:
 * idle threads are used first), up to {@code max}; a thread idle for {@link #IDLE_NANOS} ends, so
 * a pool nobody closes does not hold threads forever. After {@link #shutdown()} nothing new is
 * accepted, what was queued still runs, and {@link #terminated()} is set once the last thread has
 * ended. The lock is held only for queue and counter updates, never while a task runs.
 */
final class Workers {
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

    private final int max;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final Event terminated = new Event();
    /** Threads started and not yet ended. */
    private int threads;
    /** Threads waiting in {@link #next()} for a task. */
    private int idle;
    private boolean shutdown;

    Workers(int max) {
        this.max = max;
    }

    /**
     * Queues {@code task}; it runs on a pool thread once those queued before it have started.
     *
     * @throws IllegalStateException after {@link #shutdown()}
     */
    void execute(Runnable task) {
        lock.lock();
        try {
            if (shutdown) {
                throw new IllegalStateException("the thread pool is closed");
            }
            queue.addLast(task);
            if (idle > 0) {
                work.signal();
            }
            if (queue.size() > idle && threads < max) {
                start(task);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock. */
    private void start(Runnable task) {
        Thread t = new PoolThread(this, "gevent-threadpool-" + THREAD_NUMBERS.incrementAndGet());
        try {
            t.start();
        } catch (Throwable e) {
            // No thread could be made (out of native threads): the caller learns it, and the task does not linger.
            queue.removeLastOccurrence(task);
            throw e;
        }
        threads++;
    }

    /** The body of a pool thread. */
    private void work() {
        for (Runnable task = next(); task != null; task = next()) {
            task.run();
            // An interrupt a task left behind must not cut the thread's next wait short.
            Thread.interrupted();
        }
    }

    /** @return the next task, or null when this thread is to end (it is then no longer counted) */
    private Runnable next() {
        lock.lock();
        try {
            long deadline = System.nanoTime() + IDLE_NANOS;
            while (queue.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (shutdown || left <= 0) {
                    // Decided under the lock, so that execute() never counts on a thread that is leaving.
                    threads--;
                    if (shutdown && threads == 0) {
                        terminated.set();
                    }
                    return null;
                }
                idle++;
                try {
                    work.awaitNanos(left);
                } catch (InterruptedException e) {
                    // Only shutdown() or the idle limit ends a pool thread.
                } finally {
                    idle--;
                }
            }
            return queue.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Accepts nothing more; idle threads end, busy ones once the queue is empty. Idempotent. */
    void shutdown() {
        lock.lock();
        try {
            if (shutdown) {
                return;
            }
            shutdown = true;
            work.signalAll();
            if (threads == 0) {
                terminated.set();
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return set once {@link #shutdown()} was called and every thread has ended */
    Event terminated() {
        return terminated;
    }

    /** @return true if the calling thread is one of these workers */
    boolean isOwnThread() {
        return Thread.currentThread() instanceof PoolThread p && p.owner == this;
    }

    /** A daemon platform thread that knows its pool, so that the pool can tell its own threads apart. */
    private static final class PoolThread extends Thread {
        final Workers owner;

        PoolThread(Workers owner, String name) {
            super(null, owner::work, name, 0, false);
            this.owner = owner;
            setDaemon(true);
        }
    }
}
