package dev.gevent.pool;

import dev.gevent.Hub;
import dev.gevent.Waiter;

/**
 * A greenlet that blocks until a hub callback wakes it: the caller of a map, or the consumer of an
 * imap, woken when one of its tasks dies. Hub thread only.
 */
abstract class Parked {
    private Waiter<Object> waiter;

    /** Blocks the calling greenlet until {@link #wake()}. */
    final void park(Hub hub) {
        parkOn(hub.newWaiter());
    }

    /** Blocks the calling greenlet on {@code w}, which {@link #wake()} also wakes. */
    final void parkOn(Waiter<Object> w) {
        waiter = w;
        try {
            w.get();
        } finally {
            waiter = null;
        }
    }

    /** Wakes the parked greenlet, if any; it re-checks what it waits for. */
    final void wake() {
        Waiter<Object> w = waiter;
        if (w != null) {
            waiter = null;
            w.switchTo(null);
        }
    }
}
