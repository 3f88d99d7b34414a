package dev.gevent.event;

import dev.gevent.internal.HubRef;
import dev.gevent.internal.WaitNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Who waits on an {@link Event} or {@link AsyncResult}: blocked strands and rawlink callbacks, in
 * registration order. Guarded by the owner's lock; the owner takes a snapshot under its lock and
 * notifies outside it, so that no lock is held while strands are woken or callbacks posted.
 */
final class Subscribers {
    /** A rawlink callback and the hub it runs in. */
    private record Link(Runnable callback, HubRef hub) {
    }

    private final ArrayDeque<Object> entries = new ArrayDeque<>(2);

    void add(WaitNode node) {
        entries.addLast(node);
    }

    /**
     * Blocks on {@code node}, added under {@code lock}; takes it off again if it gives up (timeout,
     * kill), so that nothing is left behind.
     *
     * @return true if woken
     */
    boolean await(WaitNode node, Duration timeout, Object lock) {
        boolean woken = false;
        try {
            woken = node.await(timeout);
        } finally {
            if (!woken) {
                synchronized (lock) {
                    entries.remove(node);
                }
            }
        }
        return woken;
    }

    /**
     * {@code rawlink}: links {@code callback} to run in the calling thread's hub once the owner is
     * ready; soon, if it already is.
     *
     * @param lock the owner's lock
     * @param ready reads the owner's readiness; called under {@code lock}
     */
    void link(Runnable callback, Object lock, BooleanSupplier ready) {
        Objects.requireNonNull(callback, "rawlink: the callback must not be null");
        HubRef hub = HubRef.current();
        List<Object> snapshot;
        synchronized (lock) {
            entries.addLast(new Link(callback, hub));
            if (!ready.getAsBoolean()) {
                return;
            }
            snapshot = snapshot();
        }
        notify(snapshot, lock, this);
    }

    /** {@code unlink}: removes {@code callback}'s link, if any; null is ignored. */
    void unlink(Runnable callback, Object lock) {
        if (callback != null) {
            synchronized (lock) {
                entries.removeIf(e -> e instanceof Link l && l.callback().equals(callback));
            }
        }
    }

    /** Under the owner's lock: removes the strands (they are about to be woken) and returns everything, in order. */
    List<Object> snapshot() {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<Object> all = new ArrayList<>(entries);
        entries.removeIf(e -> e instanceof WaitNode);
        return all;
    }

    /**
     * Outside the owner's lock: wakes the strands and posts the callbacks of {@code snapshot}. A
     * callback runs only if it is still linked when its turn comes, so that an unlink during a
     * notification stops it; it is unlinked as it runs (a link fires once).
     */
    static void notify(List<Object> snapshot, Object lock, Subscribers owner) {
        for (Object e : snapshot) {
            if (e instanceof WaitNode node) {
                node.wake(null);
            } else {
                Link link = (Link) e;
                link.hub().post(() -> {
                    boolean linked;
                    synchronized (lock) {
                        linked = owner.entries.remove(link);
                    }
                    if (linked) {
                        try {
                            link.callback().run();
                        } catch (RuntimeException | Error failure) {
                            link.hub().reportError(link.callback(), failure);
                        }
                    }
                });
            }
        }
    }
}
