package dev.gevent.queue;

import dev.gevent.internal.WaitNode;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

/** Argument checks and the waiting step shared by the queues and {@link Channel}. */
final class Checks {
    private Checks() {
    }

    /** @throws IllegalArgumentException if {@code timeout} is negative (null means forever) */
    static void check(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
    }

    /** @return true if {@code timeout} allows no wait at all */
    static boolean none(Duration timeout) {
        return timeout != null && timeout.isZero();
    }

    /** @throws NullPointerException for a null item: the queues hold no nulls, like the JDK's */
    static <T> T requireItem(T item) {
        return Objects.requireNonNull(item, "a queue item must not be null");
    }

    /**
     * Blocks on {@code node}; if it gives up (timeout, kill) before anyone woke it, takes
     * {@code entry} off the {@code waiting} line under {@code lock}, so that nothing is left behind.
     * A node woken and then killed stays off the line: its waker already acted on it.
     *
     * @return true if woken
     */
    static boolean awaitOrLeave(WaitNode node, Duration timeout, Object lock, Collection<?> waiting, Object entry) {
        boolean woken = false;
        try {
            woken = node.await(timeout);
        } finally {
            if (!woken && !node.woken()) {
                synchronized (lock) {
                    waiting.remove(entry);
                }
            }
        }
        return woken;
    }
}
