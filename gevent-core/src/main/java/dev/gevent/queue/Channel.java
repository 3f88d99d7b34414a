package dev.gevent.queue;

import dev.gevent.internal.WaitNode;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A rendezvous between greenlets (gevent: {@code gevent.queue.Channel}, also {@code Queue(0)}): a
 * put waits until a get takes its item, and a get waits until a put offers one. It stores nothing:
 * {@link #qsize()} is 0, and {@link #empty()} and {@link #full()} are always true.
 *
 * <p><b>Blocking.</b> {@link #put} blocks the calling greenlet until a getter takes the item;
 * {@link #get()} blocks until a putter offers one. A put that finds a getter waiting hands the item
 * over and returns without switching: the getter becomes runnable and runs when the putter next
 * blocks or yields. Timed forms throw {@link Full} and {@link Empty}; {@code Nowait} forms succeed
 * only if the other side is already waiting. A zero timeout does not wait.
 *
 * <p><b>Ordering.</b> Getters are served in the order they arrived, and so are putters. A waiter
 * that gives up (timeout, kill, {@link dev.gevent.Timeout}) leaves nothing behind: a putter's item is
 * not delivered. A getter that had already been handed an item when a kill landed passes it to the
 * next getter; if none waits, the item waits, first in line, for the next get, and counts in
 * {@link #balance()} as a waiting putter. A putter whose item was taken just before a kill landed
 * has delivered it, as in gevent.
 *
 * <p><b>Threads.</b> As for {@link Queue}: any thread, any hub; each waiter is resumed on its own
 * hub, and a wait that only another thread can end does not keep the waiter's hub alive.
 *
 * <p>Items must not be null.
 *
 * @param <T> the item type
 */
public final class Channel<T> {
    /** Guards the two queues; never held while blocking. */
    private final Object lock = new Object();
    /** Blocked in get(), oldest first; they wait only while no putter does. */
    private final ArrayDeque<WaitNode> getters = new ArrayDeque<>();
    /** Blocked in put(), oldest first; they wait only while no getter does. */
    private final ArrayDeque<Putter<T>> putters = new ArrayDeque<>();

    /** Creates a channel with nobody waiting. */
    public Channel() {
    }

    /**
     * Offers {@code item} and blocks the calling greenlet until a getter takes it.
     *
     * @param item not null
     */
    public void put(T item) {
        put(item, null);
    }

    /**
     * Offers {@code item} and blocks the calling greenlet until a getter takes it, at most {@code timeout}.
     *
     * @param item not null
     * @param timeout null = forever; zero = only if a getter waits already
     * @throws Full if no getter took it in time; it was not delivered
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void put(T item, Duration timeout) {
        Checks.requireItem(item);
        Checks.check(timeout);
        WaitNode node;
        Putter<T> putter;
        synchronized (lock) {
            if (handToGetterLocked(item)) {
                return;
            }
            if (Checks.none(timeout)) {
                throw noGetter();
            }
            node = WaitNode.forCurrentStrand();
            putter = new Putter<>(node, item);
            putters.addLast(putter);
        }
        if (!Checks.awaitOrLeave(node, timeout, lock, putters, putter)) {
            throw new Full("no getter took the item within " + timeout);
        }
    }

    /**
     * Hands {@code item} to a getter that is waiting now.
     *
     * @param item not null
     * @throws Full if no getter is waiting
     */
    public void putNowait(T item) {
        put(item, Duration.ZERO);
    }

    /** @return the item of the first putter; blocks the calling greenlet until one offers */
    public T get() {
        return get(null);
    }

    /**
     * Takes the item of the first putter, blocking the calling greenlet at most {@code timeout}
     * until one offers.
     *
     * @param timeout null = forever; zero = only if a putter waits already
     * @return the item
     * @throws Empty if no putter offered one in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public T get(Duration timeout) {
        Checks.check(timeout);
        WaitNode node;
        synchronized (lock) {
            Putter<T> putter;
            while ((putter = putters.pollFirst()) != null) {
                if (putter.claim()) {
                    return putter.item;
                }
            }
            if (Checks.none(timeout)) {
                throw noPutter();
            }
            node = WaitNode.forCurrentStrand();
            getters.addLast(node);
        }
        boolean handed = false;
        try {
            handed = node.await(timeout);
        } finally {
            if (!handed) {
                abandonGet(node);
            }
        }
        if (!handed) {
            throw new Empty("no putter offered an item within " + timeout);
        }
        return item(node);
    }

    /**
     * Takes the item of a putter that is waiting now.
     *
     * @return the item
     * @throws Empty if no putter is waiting
     */
    public T getNowait() {
        return get(Duration.ZERO);
    }

    /** @return the number of waiting putters minus the number of waiting getters */
    public int balance() {
        synchronized (lock) {
            return putters.size() - getters.size();
        }
    }

    /** @return 0: a channel stores nothing */
    public int qsize() {
        return 0;
    }

    /** @return true: a channel stores nothing */
    public boolean empty() {
        return true;
    }

    /** @return true: a channel has no room, a put always needs a getter */
    public boolean full() {
        return true;
    }

    /** @return true if a getter took {@code item}; getters that gave up are dropped on the way */
    private boolean handToGetterLocked(T item) {
        WaitNode getter;
        while ((getter = getters.pollFirst()) != null) {
            if (getter.wake(item)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A getter gives up: if it was handed an item before its wait ended (a kill or Timeout landed
     * at the same moment), the item goes to the next getter or waits, first in line, for the next.
     */
    private void abandonGet(WaitNode node) {
        synchronized (lock) {
            if (!node.woken()) {
                getters.remove(node);
                return;
            }
            T item = item(node);
            if (!handToGetterLocked(item)) {
                putters.addFirst(new Putter<>(null, item));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T item(WaitNode node) {
        return (T) node.value();
    }

    private static Full noGetter() {
        return new Full("no getter is waiting on the channel");
    }

    private static Empty noPutter() {
        return new Empty("no putter is waiting on the channel");
    }

    @Override
    public String toString() {
        return "Channel[balance=" + balance() + "]";
    }
}
