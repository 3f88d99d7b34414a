package dev.gevent.pool;

import dev.gevent.Hub;
import dev.gevent.ThrowingFunction;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * {@link Group#imap} and {@link Group#imapUnordered}: a lazy iterator that keeps at most
 * {@code window} items spawned and not yet handed out, pulling the next item from its input only
 * when one is handed out. Ordered, it hands results out in input order; unordered, in the order
 * their greenlets die. A failure is raised by {@link #next()} when its turn comes; the iterator
 * then kills what it still runs and ends. Hub thread only.
 */
final class IMap<A, R> extends Batch<A, R> implements Iterator<R> {
    private final Iterator<? extends A> input;
    private final boolean ordered;
    private final int window;
    /** Ordered: the tasks spawned, in input order. Unordered: the tasks finished, in finishing order. */
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    /** Tasks spawned and not yet handed out. */
    private int outstanding;
    private int pulled;
    private boolean over;

    IMap(Group group, ThrowingFunction<? super A, ? extends R> fn, Iterator<? extends A> input, boolean ordered, int window) {
        super(group, fn);
        this.input = input;
        this.ordered = ordered;
        this.window = window;
    }

    /**
     * Blocks the calling greenlet until the next result is ready or the input is exhausted.
     *
     * @return false once every result was handed out
     */
    @Override
    public boolean hasNext() {
        Hub hub = group.hub();
        if (over) {
            return false;
        }
        try {
            fill();
            if (outstanding == 0) {
                over = true;
                return false;
            }
            while (!headReady()) {
                park(hub);
            }
        } catch (Throwable e) {
            // the consumer was killed, timed out, or the input failed: the work goes with it
            over = true;
            cancel(false);
            throw e;
        }
        return true;
    }

    /**
     * Blocks the calling greenlet until the next result is ready.
     *
     * @return the value of the next item's function
     * @throws NoSuchElementException once every result was handed out
     * @throws RuntimeException or {@link Error}: the very exception the function threw
     * @throws java.util.concurrent.CompletionException wrapping a checked exception it threw
     */
    @Override
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Task t = queue.pollFirst();
        outstanding--;
        Throwable e = t.greenlet.exception();
        if (e != null) {
            over = true;
            cancel(true);
            throw Group.rethrow(e);
        }
        return t.value();
    }

    private void fill() {
        while (outstanding < window && input.hasNext()) {
            group.reserve(null, null);
            Task t = spawn(pulled++, pull(input));
            outstanding++;
            if (ordered) {
                queue.addLast(t);
            }
        }
    }

    private boolean headReady() {
        Task head = queue.peekFirst();
        return head != null && (!ordered || head.done);
    }

    @Override
    void finished(Task t) {
        if (!ordered) {
            queue.addLast(t);
        }
        if (headReady()) {
            wake();
        }
    }
}
