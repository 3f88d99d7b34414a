package dev.gevent.queue;

/**
 * A queue that hands out the most recently put item first (gevent: {@code gevent.queue.LifoQueue}).
 * Blocking, waiter order and threads are as for {@link Queue}: only the order of the items differs.
 *
 * @param <T> the item type
 */
public class LifoQueue<T> extends Queue<T> {

    /** Creates an unbounded LIFO queue. */
    public LifoQueue() {
        super(UNBOUNDED, new Items.Lifo<>());
    }

    /**
     * Creates a LIFO queue that holds at most {@code maxsize} items.
     *
     * @param maxsize at least 1
     * @throws IllegalArgumentException if {@code maxsize} is 0 or negative
     */
    public LifoQueue(int maxsize) {
        super(bounded(maxsize), new Items.Lifo<>());
    }
}
