package dev.gevent.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A latch opened once from any thread and awaited cooperatively by greenlets of any hub (or a
 * hub's main greenlet): each waiter is woken on its own hub. While a hub waits on it, the hub is
 * kept alive, since the wake-up comes from outside its loop.
 */
final class CrossThreadLatch {
    private volatile boolean open;
    private final ConcurrentLinkedQueue<WaiterImpl<?>> waiters = new ConcurrentLinkedQueue<>();

    boolean isOpen() {
        return open;
    }

    /** Opens it and wakes every waiter. Any thread; idempotent. */
    void open() {
        open = true;
        WaiterImpl<?> w;
        while ((w = waiters.poll()) != null) {
            WaiterImpl<?> waiter = w;
            waiter.hub.post(() -> waiter.switchTo(null));
        }
    }

    /**
     * Blocks the calling greenlet until open or {@code timeout} elapsed.
     *
     * @param timeout null = forever
     * @return whether it is open
     */
    boolean await(Duration timeout) {
        if (open) {
            return true;
        }
        GreenletBase<?> me = RuntimeImpl.blockingStrand();
        HubImpl hub = me.hub;
        WaiterImpl<Object> w = new WaiterImpl<>(hub);
        Timer timer = timeout == null ? null : hub.scheduleWaiter(w, timeout);
        waiters.add(w);
        hub.retain();
        try {
            if (!open) {
                w.get();
            }
        } finally {
            hub.release();
            waiters.remove(w);
            if (timer != null) {
                timer.cancel();
            }
        }
        return open;
    }
}
