package dev.gevent.backend.nio;

import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes the selector from any thread, at most once per poll: after the first request, further ones
 * until the poll returns cost a volatile read. A request is never lost: {@link Selector#wakeup()}
 * also releases a select that has not started yet, and the flag is cleared only after the select
 * that consumed it has returned, so whoever queued work before requesting sees it picked up by the
 * hub's next look at its queues.
 */
final class WakeupSignal {
    private final Selector selector;
    private final AtomicBoolean raised = new AtomicBoolean();

    WakeupSignal(Selector selector) {
        this.selector = selector;
    }

    void raise() {
        if (!raised.get() && raised.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Called by the hub thread after every select. */
    void clear() {
        raised.set(false);
    }
}
