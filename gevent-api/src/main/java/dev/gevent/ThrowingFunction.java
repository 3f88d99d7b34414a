package dev.gevent;

/**
 * A one-argument function that may throw any exception (the function given to
 * {@code Group.map}/{@code imap}, gevent: {@code Pool.map(func, iterable)}).
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ThrowingFunction<A, R> {
    /**
     * Applies the function.
     *
     * @param arg the argument
     * @return the result
     * @throws Exception whatever the function throws
     */
    R apply(A arg) throws Exception;
}
