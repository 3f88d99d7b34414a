package dev.gevent;

import java.util.Iterator;

/**
 * The objects given to {@link Gevent#iwait} in the order they become ready (gevent:
 * {@code gevent.iwait}, a generator usable as a context manager). {@link #next()} blocks the
 * calling greenlet until the next object is ready; {@link #hasNext()} blocks too, and returns
 * false once the count is reached, every object was returned, or the timeout elapsed.
 * Use it in a try-with-resources block so that objects not yet ready are unlinked.
 *
 * @param <W> the type of the objects
 */
public interface WaitIterator<W> extends Iterator<W>, Iterable<W>, AutoCloseable {
    /** Unlinks from every object not yet ready. Idempotent. */
    @Override
    void close();

    /** @return this iterator, so that it can be used in an enhanced for loop */
    @Override
    default Iterator<W> iterator() {
        return this;
    }
}
