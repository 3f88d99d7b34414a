package dev.gevent.queue;

import dev.gevent.internal.WaitNode;

/**
 * A put waiting for room (or, in a {@link Channel}, for a getter): the blocked strand and its item.
 * Compared by identity, so that a putter that gives up removes exactly itself.
 */
final class Putter<T> {
    /** The blocked strand; null for an item a {@link Channel} holds on behalf of no one (see there). */
    final WaitNode node;
    final T item;

    Putter(WaitNode node, T item) {
        this.node = node;
        this.item = item;
    }

    /**
     * Claims the item: wakes the putter, which then returns from its put.
     *
     * @return false if the putter gave up first (timeout, kill): its item must not be used
     */
    boolean claim() {
        return node == null || node.wake(null);
    }
}
