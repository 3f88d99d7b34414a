package dev.gevent.pool;

import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.ThrowingFunction;
import java.util.Iterator;
import java.util.concurrent.Callable;

/**
 * One call of {@code map} or {@code imap}: a function applied to items, each in a greenlet of the
 * group. Each item costs one {@link Task}, which is at once the greenlet's function, its entry in
 * the group and the link that reports its death here. Hub thread only.
 *
 * @param <A> the item type
 * @param <R> the result type
 */
abstract class Batch<A, R> extends Parked {
    final Group group;
    private final ThrowingFunction<? super A, ? extends R> fn;
    /** Tasks spawned whose greenlet has not died yet. */
    int running;
    private boolean cancelling;

    Batch(Group group, ThrowingFunction<? super A, ? extends R> fn) {
        this.group = group;
        this.fn = fn;
    }

    /** One item: the function of its greenlet and its entry in the group. */
    final class Task extends Member implements Callable<R> {
        final int index;
        /** Its greenlet died: its value or exception is final. */
        boolean done;
        private A item;

        Task(int index, A item) {
            super(Batch.this.group);
            this.index = index;
            this.item = item;
        }

        @Override
        public R call() throws Exception {
            A a = item;
            // the item is garbage once the function has it
            item = null;
            return fn.apply(a);
        }

        @Override
        boolean watchesDeath() {
            return true;
        }

        @Override
        void died() {
            done = true;
            running--;
            if (cancelling) {
                if (running == 0) {
                    wake();
                }
            } else {
                finished(this);
            }
        }

        boolean of(Batch<?, ?> batch) {
            return Batch.this == batch;
        }

        @SuppressWarnings("unchecked")
        R value() {
            return (R) greenlet.value();
        }
    }

    /** A task's greenlet died (it is out of the group); not called once cancelling. */
    abstract void finished(Task t);

    /**
     * Spawns the function on {@code item} in the group, where a slot was reserved for it.
     *
     * @return its task
     */
    final Task spawn(int index, A item) {
        Task t = new Task(index, item);
        Greenlet<R> g;
        try {
            g = Greenlet.of(t);
        } catch (Throwable e) {
            group.unreserve();
            throw e;
        }
        t.greenlet = g;
        group.admit(t);
        running++;
        g.start();
        return t;
    }

    /** Takes the next item once room was reserved for it; gives the room back if the input fails. */
    final A pull(Iterator<? extends A> input) {
        try {
            return input.next();
        } catch (Throwable e) {
            group.unreserve();
            throw e;
        }
    }

    /**
     * Kills this batch's greenlets that are still alive (GreenletExit); with {@code wait}, blocks
     * until every one of them is dead. One discarded from the group meanwhile is out of reach: it
     * is waited for, not killed.
     */
    final void cancel(boolean wait) {
        cancelling = true;
        for (Member m = group.first(); m != null; m = m.next) {
            // a kill runs no code of the target before returning: the list stays as it is
            if (m instanceof Batch<?, ?>.Task t && t.of(this)) {
                t.greenlet.killAsync(new GreenletExit());
            }
        }
        if (wait) {
            while (running > 0) {
                park(group.hub());
            }
        }
    }
}
