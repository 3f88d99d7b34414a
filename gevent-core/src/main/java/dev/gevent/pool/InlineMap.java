package dev.gevent.pool;

import dev.gevent.ThrowingFunction;
import java.util.Iterator;

/**
 * A map that runs in the calling greenlet, one item per {@link #next()}: what {@code map} and
 * {@code imap} do when the caller is a member of the group, which a full pool could otherwise
 * never make room for.
 */
final class InlineMap<A, R> implements Iterator<R> {
    private final ThrowingFunction<? super A, ? extends R> fn;
    private final Iterator<? extends A> input;

    InlineMap(ThrowingFunction<? super A, ? extends R> fn, Iterator<? extends A> input) {
        this.fn = fn;
        this.input = input;
    }

    @Override
    public boolean hasNext() {
        return input.hasNext();
    }

    @Override
    public R next() {
        A item = input.next();
        try {
            return fn.apply(item);
        } catch (Exception e) {
            throw Group.rethrow(e);
        }
    }
}
