package dev.gevent.queue;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the queues and {@link Channel}. */
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
}
