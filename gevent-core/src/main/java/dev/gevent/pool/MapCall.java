package dev.gevent.pool;

import dev.gevent.Hub;
import dev.gevent.ThrowingFunction;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * {@link Group#map}: spawns one greenlet per item as the group has room, and collects the values
 * in input order into one array. The first failure (in time) stops the spawning, kills the
 * greenlets still running and is raised. Hub thread only.
 */
final class MapCall<A, R> extends Batch<A, R> {
    private Object[] results;
    private Throwable failure;
    /** Every item was spawned: the caller now waits for the last one to die. */
    private boolean draining;

    MapCall(Group group, ThrowingFunction<? super A, ? extends R> fn) {
        super(group, fn);
    }

    List<R> run(Iterable<? extends A> items) {
        Hub hub = group.hub();
        results = new Object[items instanceof Collection<?> c ? c.size() : 16];
        int n = 0;
        try {
            Iterator<? extends A> it = items.iterator();
            while (failure == null && it.hasNext()) {
                // a failure wakes the caller out of a wait for room with none reserved
                if (!group.reserve(null, this)) {
                    break;
                }
                if (failure != null) {
                    group.unreserve();
                    break;
                }
                A item = pull(it);
                if (n == results.length) {
                    results = Arrays.copyOf(results, Math.max(16, 2 * n));
                }
                spawn(n++, item);
            }
            draining = true;
            while (running > 0 && failure == null) {
                park(hub);
            }
        } catch (Throwable e) {
            // the caller was killed, timed out, or its input failed: the work goes with it
            cancel(false);
            throw e;
        }
        if (failure != null) {
            cancel(true);
            throw Group.rethrow(failure);
        }
        return list(n);
    }

    @Override
    void finished(Task t) {
        Throwable e = t.greenlet.exception();
        if (e != null) {
            if (failure == null) {
                failure = e;
                wake();
            }
        } else {
            results[t.index] = t.value();
            if (draining && running == 0) {
                wake();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<R> list(int n) {
        return (List<R>) Arrays.asList(n == results.length ? results : Arrays.copyOf(results, n));
    }
}
