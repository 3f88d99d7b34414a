package dev.gevent.lock;

import dev.gevent.internal.HubRef;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The rawlink callbacks of a synchronizer that is ready while it has something to hand out (gevent:
 * {@code AbstractLinkable} with {@code _notify_all} false). Each callback fires once, in its own
 * hub, in registration order, and only while the owner is still ready when its turn comes: one
 * whose turn comes after the last permit was taken stays registered for the next notification.
 * Guarded by the owner's lock; posting to a hub never blocks, so it is done under that lock.
 */
final class Links {
    private final Object lock;
    private final BooleanSupplier ready;
    private final ArrayList<Link> links = new ArrayList<>(0);

    Links(Object lock, BooleanSupplier ready) {
        this.lock = lock;
        this.ready = ready;
    }

    /** A callback, the hub it runs in, and whether its turn is already queued there. */
    private final class Link implements Runnable {
        final Runnable callback;
        final HubRef hub;
        boolean posted;

        Link(Runnable callback, HubRef hub) {
            this.callback = callback;
            this.hub = hub;
        }

        void post() {
            posted = true;
            hub.post(this);
        }

        @Override
        public void run() {
            synchronized (lock) {
                int i = indexOf(this);
                if (i < 0) {
                    return;
                }
                if (!ready.getAsBoolean()) {
                    posted = false;
                    return;
                }
                links.remove(i);
            }
            callback.run();
        }
    }

    /** Registers {@code callback} for {@code hub}; posts it at once if the owner is ready. */
    void add(Runnable callback, HubRef hub) {
        Objects.requireNonNull(callback, "rawlink: the callback must not be null");
        Link link = new Link(callback, hub);
        synchronized (lock) {
            links.add(link);
            if (ready.getAsBoolean()) {
                link.post();
            }
        }
    }

    /** Removes the first registration of {@code callback}; a posted turn then does nothing. */
    void remove(Runnable callback) {
        synchronized (lock) {
            for (Iterator<Link> it = links.iterator(); it.hasNext(); ) {
                if (it.next().callback.equals(callback)) {
                    it.remove();
                    return;
                }
            }
        }
    }

    /** Under the owner's lock, which just became ready: posts every callback not yet posted. */
    void notifyLocked() {
        if (links.isEmpty()) {
            return;
        }
        // A closed hub drops what is posted to it: forget its callbacks rather than keep them forever.
        links.removeIf(link -> link.hub.isClosed());
        for (Link link : links) {
            if (!link.posted) {
                link.post();
            }
        }
    }

    private int indexOf(Link link) {
        for (int i = 0; i < links.size(); i++) {
            if (links.get(i) == link) {
                return i;
            }
        }
        return -1;
    }
}
