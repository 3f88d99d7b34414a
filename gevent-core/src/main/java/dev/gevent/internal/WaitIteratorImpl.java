package dev.gevent.internal;

import dev.gevent.WaitIterator;
import dev.gevent.Waitable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * gevent.iwait: links to every object and hands them out as they become ready, at most
 * {@code count}, until the deadline. The callbacks run in the calling hub. Hub thread only.
 */
final class WaitIteratorImpl<W extends Waitable> implements WaitIterator<W> {
    private final HubImpl hub;
    private final List<W> objects;
    private final List<Runnable> callbacks;
    private final ArrayDeque<W> readyObjects = new ArrayDeque<>();
    private final int limit;
    private final Timer deadline;
    /** Some objects are greenlets of other hubs: their wake-ups come from outside this loop. */
    private final boolean foreign;
    private WaiterImpl<Object> waiter;
    private int returned;
    private boolean timedOut;
    private boolean closed;

    WaitIteratorImpl(HubImpl hub, Collection<W> objects, Duration timeout, int count) {
        this.hub = hub;
        this.objects = new ArrayList<>(objects);
        for (W w : this.objects) {
            Objects.requireNonNull(w, "iwait: the objects must not contain null");
        }
        this.foreign = this.objects.stream().anyMatch(o -> o instanceof GreenletBase<?> g && g.hub != hub);
        this.limit = count <= 0 ? this.objects.size() : Math.min(count, this.objects.size());
        this.callbacks = new ArrayList<>(this.objects.size());
        for (W w : this.objects) {
            Runnable cb = () -> {
                readyObjects.addLast(w);
                wakeWaiter();
            };
            callbacks.add(cb);
            w.rawlink(cb);
        }
        if (timeout != null) {
            deadline = new Timer(hub) {
                @Override
                void fire() {
                    timedOut = true;
                    wakeWaiter();
                }
            };
            hub.schedule(deadline, timeout);
        } else {
            deadline = null;
        }
    }

    private void wakeWaiter() {
        WaiterImpl<Object> w = waiter;
        if (w != null) {
            w.switchTo(null);
        }
    }

    @Override
    public boolean hasNext() {
        while (true) {
            if (closed || returned >= limit) {
                close();
                return false;
            }
            if (!readyObjects.isEmpty()) {
                return true;
            }
            if (timedOut) {
                close();
                return false;
            }
            WaiterImpl<Object> w = new WaiterImpl<>(hub);
            waiter = w;
            if (foreign) {
                hub.retain();
            }
            try {
                w.get();
            } catch (Throwable e) {
                close();
                throw e;
            } finally {
                waiter = null;
                if (foreign) {
                    hub.release();
                }
            }
        }
    }

    @Override
    public W next() {
        if (!hasNext()) {
            throw new NoSuchElementException("iwait: no more objects (count reached, all returned, or timed out)");
        }
        returned++;
        return readyObjects.pollFirst();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < objects.size(); i++) {
            objects.get(i).unlink(callbacks.get(i));
        }
        if (deadline != null) {
            deadline.cancel();
        }
    }
}
