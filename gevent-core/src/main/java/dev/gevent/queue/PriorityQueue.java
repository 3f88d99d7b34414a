package dev.gevent.queue;

import java.util.Comparator;

/**
 * A queue that hands out the lowest item first (gevent: {@code gevent.queue.PriorityQueue}): by the
 * items' natural order, or by a {@link Comparator}. Equal items come out in no particular order.
 * Blocking, waiter order and threads are as for {@link Queue}: only the order of the items differs.
 * The order is applied under the queue's lock: it must be quick and must not block or throw.
 *
 * @param <T> the item type: {@link Comparable} unless a comparator is given
 */
public class PriorityQueue<T> extends Queue<T> {

    /** Creates an unbounded queue in the items' natural order. */
    public PriorityQueue() {
        super(UNBOUNDED, new Items.Priority<>(null));
    }

    /**
     * Creates an unbounded queue ordered by {@code order}.
     *
     * @param order null for the items' natural order
     */
    public PriorityQueue(Comparator<? super T> order) {
        super(UNBOUNDED, new Items.Priority<>(order));
    }

    /**
     * Creates a queue in the items' natural order that holds at most {@code maxsize} items.
     *
     * @param maxsize at least 1
     * @throws IllegalArgumentException if {@code maxsize} is 0 or negative
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * Creates a queue ordered by {@code order} that holds at most {@code maxsize} items.
     *
     * @param maxsize at least 1
     * @param order null for the items' natural order
     * @throws IllegalArgumentException if {@code maxsize} is 0 or negative
     */
    public PriorityQueue(int maxsize, Comparator<? super T> order) {
        super(bounded(maxsize), new Items.Priority<>(order));
    }
}
