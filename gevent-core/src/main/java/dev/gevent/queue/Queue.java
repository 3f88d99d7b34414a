package dev.gevent.queue;

import dev.gevent.internal.WaitNode;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A multi-producer, multi-consumer FIFO queue for greenlets (gevent: {@code gevent.queue.Queue}),
 * bounded by a {@code maxsize} or unbounded. gevent's {@code Queue(0)}, a rendezvous, is
 * {@link Channel} here.
 *
 * <p><b>Blocking.</b> {@link #get()} and {@link #peek()} block the calling greenlet while the queue
 * is empty, {@link #put} while it is full; each has a timed form that throws {@link Empty} or
 * {@link Full} when the timeout elapses, and a {@code Nowait} form that throws at once. A zero
 * timeout does not wait. A put never blocks on an unbounded queue, and a call that need not wait
 * never switches: an item put while a getter waits is handed to that getter, and a get that makes
 * room lets in the first blocked putter; either becomes runnable, and runs when the caller next
 * blocks or yields.
 *
 * <p><b>Ordering.</b> Blocked getters are served in the order they arrived, and so are blocked
 * putters; an item put while getters wait goes to the first of them, so {@link #qsize()} counts
 * only items nobody has claimed. A blocked {@link #peek()} returns the first item that arrives,
 * without taking it. A waiter that gives up (its timeout elapsed, or it was killed, or a
 * {@link dev.gevent.Timeout} fired) leaves nothing behind: a getter's item goes to the next getter
 * or stays in the queue, a putter's item is not added. A getter that had already been handed an
 * item when a kill landed gives the item back, first in line (the queue may then briefly hold one
 * item more than {@code maxsize}); a putter whose item had already been let in when a kill landed
 * has put it, as in gevent.
 *
 * <p><b>Threads.</b> Every method may be called from any thread: greenlets of different hubs and
 * plain threads may share a queue, and each waiter is resumed on its own hub (a plain thread that
 * blocks runs its own hub meanwhile). A wait that only another thread can end does not keep the
 * waiter's hub alive: a main greenlet with nothing else to run gets {@link dev.gevent.LoopExit}, as
 * in gevent; keep a {@link dev.gevent.Timeout} pending in such a wait.
 *
 * <p>Items must not be null.
 *
 * @param <T> the item type
 */
public class Queue<T> {
    /** The bound of an unbounded queue, as {@link #maxsize()} reports it. */
    static final int UNBOUNDED = -1;

    /** Guards this queue's state and its subclasses'; never held while blocking. */
    final Object lock = new Object();
    private final int maxsize;
    private final Items<T> items;
    /** Blocked in get(), oldest first; they wait only while no item is stored. */
    private final ArrayDeque<WaitNode> getters = new ArrayDeque<>();
    /** Blocked in peek(); all of them see the first item that arrives. */
    private final ArrayDeque<WaitNode> peekers = new ArrayDeque<>();
    /** Blocked in put(), oldest first; they wait only while the queue is full. */
    private final ArrayDeque<Putter<T>> putters = new ArrayDeque<>();

    /** Creates an unbounded queue: {@link #put} never blocks. */
    public Queue() {
        this(UNBOUNDED, new Items.Fifo<>());
    }

    /**
     * Creates a queue that holds at most {@code maxsize} items.
     *
     * @param maxsize at least 1
     * @throws IllegalArgumentException if {@code maxsize} is 0 or negative
     */
    public Queue(int maxsize) {
        this(bounded(maxsize), new Items.Fifo<>());
    }

    /** For subclasses: {@code maxsize} is checked, or {@link #UNBOUNDED}. */
    Queue(int maxsize, Items<T> items) {
        this.maxsize = maxsize;
        this.items = items;
    }

    /** @throws IllegalArgumentException for gevent's {@code Queue(0)} or a negative size */
    static int bounded(int maxsize) {
        if (maxsize < 1) {
            throw new IllegalArgumentException("maxsize must be at least 1, got " + maxsize
                    + "; for gevent's Queue(0), where put waits for a get, use Channel;"
                    + " for an unbounded queue, the constructor without maxsize");
        }
        return maxsize;
    }

    /** @return the number of items in the queue, not counting those handed to getters */
    public int qsize() {
        synchronized (lock) {
            return items.size();
        }
    }

    /** @return true if the queue holds no item: a {@link #get()} now would block */
    public boolean empty() {
        return qsize() == 0;
    }

    /** @return true if the queue holds {@code maxsize} items: a {@link #put} now would block; never for an unbounded queue */
    public boolean full() {
        return maxsize != UNBOUNDED && qsize() >= maxsize;
    }

    /** @return the bound given at construction, or -1 if unbounded */
    public int maxsize() {
        return maxsize;
    }

    /**
     * Puts {@code item}, blocking the calling greenlet while the queue is full.
     *
     * @param item not null
     */
    public void put(T item) {
        put(item, null);
    }

    /**
     * Puts {@code item}, blocking the calling greenlet at most {@code timeout} while the queue is full.
     *
     * @param item not null
     * @param timeout null = forever; zero = do not wait
     * @throws Full if there was no room in time; the item was not added
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void put(T item, Duration timeout) {
        Checks.requireItem(item);
        Checks.check(timeout);
        WaitNode node;
        Putter<T> putter;
        synchronized (lock) {
            if (offerLocked(item)) {
                return;
            }
            if (Checks.none(timeout)) {
                throw noRoom();
            }
            node = WaitNode.forCurrentStrand();
            putter = new Putter<>(node, item);
            putters.addLast(putter);
        }
        // Once let in, the item is put even if a kill landed since: the getter that let it in stored it.
        if (!Checks.awaitOrLeave(node, timeout, lock, putters, putter)) {
            throw new Full("no room in the queue within " + timeout);
        }
    }

    /**
     * Puts {@code item} if there is room now (gevent: {@code put_nowait}).
     *
     * @param item not null
     * @throws Full if the queue is full
     */
    public void putNowait(T item) {
        Checks.requireItem(item);
        synchronized (lock) {
            if (offerLocked(item)) {
                return;
            }
        }
        throw noRoom();
    }

    /** @return the next item, removed; blocks the calling greenlet while the queue is empty */
    public T get() {
        return get(null);
    }

    /**
     * Removes and returns the next item, blocking the calling greenlet at most {@code timeout}
     * while the queue is empty.
     *
     * @param timeout null = forever; zero = do not wait
     * @return the item
     * @throws Empty if no item came in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public T get(Duration timeout) {
        Checks.check(timeout);
        WaitNode node;
        synchronized (lock) {
            if (items.size() > 0) {
                return takeLocked();
            }
            if (Checks.none(timeout)) {
                throw noItem();
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
            throw new Empty("no item in the queue within " + timeout);
        }
        return item(node);
    }

    /**
     * Removes and returns the next item if there is one now (gevent: {@code get_nowait}).
     *
     * @return the item
     * @throws Empty if the queue is empty
     */
    public T getNowait() {
        synchronized (lock) {
            if (items.size() > 0) {
                return takeLocked();
            }
        }
        throw noItem();
    }

    /** @return the next item, left in the queue; blocks the calling greenlet while the queue is empty */
    public T peek() {
        return peek(null);
    }

    /**
     * Returns the next item without removing it, blocking the calling greenlet at most
     * {@code timeout} while the queue is empty.
     *
     * @param timeout null = forever; zero = do not wait
     * @return the item
     * @throws Empty if no item came in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public T peek(Duration timeout) {
        Checks.check(timeout);
        WaitNode node;
        synchronized (lock) {
            if (items.size() > 0) {
                return items.head();
            }
            if (Checks.none(timeout)) {
                throw noItem();
            }
            node = WaitNode.forCurrentStrand();
            peekers.addLast(node);
        }
        if (!Checks.awaitOrLeave(node, timeout, lock, peekers, node)) {
            throw new Empty("no item in the queue within " + timeout);
        }
        return item(node);
    }

    /**
     * Returns the next item without removing it, if there is one now.
     *
     * @return the item
     * @throws Empty if the queue is empty
     */
    public T peekNowait() {
        synchronized (lock) {
            if (items.size() > 0) {
                return items.head();
            }
        }
        throw noItem();
    }

    /** Called under the lock each time the queue accepts an item (JoinableQueue counts them). */
    void accepted() {
    }

    /** Accepts {@code item} if there is room: to the first live getter, else into the items. */
    private boolean offerLocked(T item) {
        if (maxsize != UNBOUNDED && items.size() >= maxsize) {
            return false;
        }
        if (!peekers.isEmpty()) {
            wakeAll(peekers, item);
        }
        if (!handToGetterLocked(item)) {
            items.add(item);
        }
        accepted();
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

    private T takeLocked() {
        T item = items.take();
        Putter<T> putter;
        while (!putters.isEmpty() && items.size() < maxsize) {
            putter = putters.pollFirst();
            if (putter.claim()) {
                items.add(putter.item);
                accepted();
            }
        }
        return item;
    }

    /**
     * A getter gives up: if it was handed an item before its wait ended (a kill or Timeout landed
     * at the same moment), the item goes to the next getter or back to the front of the queue.
     */
    private void abandonGet(WaitNode node) {
        synchronized (lock) {
            if (!node.woken()) {
                getters.remove(node);
                return;
            }
            T item = item(node);
            if (!peekers.isEmpty()) {
                wakeAll(peekers, item);
            }
            if (!handToGetterLocked(item)) {
                items.giveBack(item);
            }
        }
    }

    /** Wakes every node of {@code nodes} with {@code value}, emptying it. */
    static void wakeAll(ArrayDeque<WaitNode> nodes, Object value) {
        WaitNode node;
        while ((node = nodes.pollFirst()) != null) {
            node.wake(value);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T item(WaitNode node) {
        return (T) node.value();
    }

    private Full noRoom() {
        return new Full("the queue is full (maxsize " + maxsize + ")");
    }

    private static Empty noItem() {
        return new Empty("the queue is empty");
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return getClass().getSimpleName() + "[qsize=" + items.size() + ", maxsize=" + maxsize
                    + ", getters=" + getters.size() + ", putters=" + putters.size() + "]";
        }
    }
}
