package dev.gevent.queue;

import java.util.ArrayDeque;
import java.util.Comparator;

/**
 * The items a queue holds, in the order it hands them out. Guarded by the queue's lock.
 *
 * @param <T> the item type
 */
sealed interface Items<T> permits Items.Fifo, Items.Lifo, Items.Priority {

    /** Adds an item that was put. */
    void add(T item);

    /**
     * Adds an item that a getter had been handed but could not return (it was killed first), so
     * that it goes out as it would have: first, or in its priority order.
     */
    void giveBack(T item);

    /** @return the next item, removed; the items are not empty */
    T take();

    /** @return the next item, left in place; the items are not empty */
    T head();

    int size();

    /** Oldest first (gevent: {@code Queue}). */
    final class Fifo<T> implements Items<T> {
        private final ArrayDeque<T> deque = new ArrayDeque<>();

        @Override
        public void add(T item) {
            deque.addLast(item);
        }

        @Override
        public void giveBack(T item) {
            deque.addFirst(item);
        }

        @Override
        public T take() {
            return deque.pollFirst();
        }

        @Override
        public T head() {
            return deque.peekFirst();
        }

        @Override
        public int size() {
            return deque.size();
        }
    }

    /** Newest first (gevent: {@code LifoQueue}). */
    final class Lifo<T> implements Items<T> {
        private final ArrayDeque<T> stack = new ArrayDeque<>();

        @Override
        public void add(T item) {
            stack.addFirst(item);
        }

        @Override
        public void giveBack(T item) {
            stack.addFirst(item);
        }

        @Override
        public T take() {
            return stack.pollFirst();
        }

        @Override
        public T head() {
            return stack.peekFirst();
        }

        @Override
        public int size() {
            return stack.size();
        }
    }

    /** Lowest first (gevent: {@code PriorityQueue}); equal items in no particular order. */
    final class Priority<T> implements Items<T> {
        private final java.util.PriorityQueue<T> heap;

        /** @param order null for the items' natural order */
        Priority(Comparator<? super T> order) {
            heap = new java.util.PriorityQueue<>(order);
        }

        @Override
        public void add(T item) {
            heap.add(item);
        }

        @Override
        public void giveBack(T item) {
            heap.add(item);
        }

        @Override
        public T take() {
            return heap.poll();
        }

        @Override
        public T head() {
            return heap.peek();
        }

        @Override
        public int size() {
            return heap.size();
        }
    }
}
