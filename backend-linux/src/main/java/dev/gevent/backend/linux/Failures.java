package dev.gevent.backend.linux;

import java.io.IOException;

/**
 * Gathers what completions threw while the loop was calling several of them, so that one bad
 * completion neither stops the others from being called nor gets lost.
 */
public final class Failures {
    private Failures() {
    }

    /** @return {@code first} with {@code next} attached, or whichever of them is not null */
    public static Throwable merge(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (next != null && next != first) {
            first.addSuppressed(next);
        }
        return first;
    }

    /** Throws {@code failure} if there is one; it is always unchecked, as completions throw no checked exception. */
    public static void rethrow(Throwable failure) {
        switch (failure) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException("a completion threw a checked exception", failure);
        }
    }

    /**
     * Ends a transport's close: throws what a completion threw when the close failed the socket's
     * pending operations, with close(2)'s failure attached, or else close(2)'s failure, if any.
     */
    public static void rethrowAfterClose(Throwable thrown, IOException closeError) throws IOException {
        if (thrown != null && closeError != null) {
            thrown.addSuppressed(closeError);
        }
        rethrow(thrown);
        if (closeError != null) {
            throw closeError;
        }
    }
}
