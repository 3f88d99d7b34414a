package dev.gevent.backend.iouring;

/**
 * Gathers what completions threw while the loop was calling several of them, so that one bad
 * completion neither stops the others from being called nor gets lost.
 */
final class Failures {
    private Failures() {
    }

    /** @return {@code first} with {@code next} attached, or whichever of them is not null */
    static Throwable merge(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (next != null && next != first) {
            first.addSuppressed(next);
        }
        return first;
    }

    /** Throws {@code failure} if there is one; it is always unchecked, as completions throw no checked exception. */
    static void rethrow(Throwable failure) {
        switch (failure) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException("a completion threw a checked exception", failure);
        }
    }
}
