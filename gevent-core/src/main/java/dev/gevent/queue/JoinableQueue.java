package dev.gevent.queue;

import dev.gevent.internal.WaitNode;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A FIFO queue that also counts unfinished tasks (gevent: {@code gevent.queue.JoinableQueue}):
 * each item put adds one, each {@link #taskDone()} removes one, and {@link #join()} blocks until
 * the count is zero, that is until every item put has been got and processed.
 *
 * <p>Blocking, waiter order and threads are as for {@link Queue}. {@link #join()} blocks only the
 * calling greenlet; every joiner is woken, in arrival order, by the {@code taskDone()} that brings
 * the count to zero, which itself never blocks or switches.
 *
 * @param <T> the item type
 */
public class JoinableQueue<T> extends Queue<T> {
    /** Guarded by {@link #lock}. */
    private int unfinished;
    /** Blocked in join(), oldest first; guarded by {@link #lock}. */
    private final ArrayDeque<WaitNode> joiners = new ArrayDeque<>();

    /** Creates an unbounded joinable queue. */
    public JoinableQueue() {
        super(UNBOUNDED, new Items.Fifo<>());
    }

    /**
     * Creates a joinable queue that holds at most {@code maxsize} items.
     *
     * @param maxsize at least 1
     * @throws IllegalArgumentException if {@code maxsize} is 0 or negative
     */
    public JoinableQueue(int maxsize) {
        super(bounded(maxsize), new Items.Fifo<>());
    }

    @Override
    void accepted() {
        unfinished++;
    }

    /**
     * Marks one task done (gevent: {@code task_done}): call it once for each item got, when its
     * processing is complete. The call that brings the count to zero wakes every joiner.
     *
     * @throws IllegalStateException if called more times than items were put (gevent: ValueError)
     */
    public void taskDone() {
        synchronized (lock) {
            if (unfinished == 0) {
                throw new IllegalStateException("taskDone() called more times than items were put into " + this);
            }
            if (--unfinished == 0) {
                wakeAll(joiners, null);
            }
        }
    }

    /** Blocks the calling greenlet until every item put has been marked done; returns at once if none is unfinished. */
    public void join() {
        join(null);
    }

    /**
     * Blocks the calling greenlet until every item put has been marked done, or {@code timeout} elapsed.
     *
     * @param timeout null = forever; zero = do not wait
     * @return true if no task is unfinished, false if the timeout came first
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean join(Duration timeout) {
        Checks.check(timeout);
        WaitNode node;
        synchronized (lock) {
            if (unfinished == 0) {
                return true;
            }
            if (Checks.none(timeout)) {
                return false;
            }
            node = WaitNode.forCurrentStrand();
            joiners.addLast(node);
        }
        boolean done = false;
        try {
            done = node.await(timeout);
        } finally {
            if (!done && !node.woken()) {
                synchronized (lock) {
                    joiners.remove(node);
                }
            }
        }
        return done;
    }

    /** @return the number of items put and not yet marked done */
    public int unfinishedTasks() {
        synchronized (lock) {
            return unfinished;
        }
    }
}
