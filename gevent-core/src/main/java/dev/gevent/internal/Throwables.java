package dev.gevent.internal;

import java.util.concurrent.CompletionException;

/** The exception rules of the API. */
final class Throwables {
    private Throwables() {
    }

    /** Throws {@code t} as it is, checked or not (a Timeout's custom exception, a Waiter's error). */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /**
     * The re-throw rule of {@code get()}: a RuntimeException or an Error as it is, a checked
     * exception wrapped in CompletionException.
     */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new CompletionException(t);
    }
}
