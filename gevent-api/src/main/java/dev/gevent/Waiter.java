package dev.gevent;

/**
 * A one-shot rendezvous between the greenlet that waits and the code that wakes it
 * (gevent: {@code gevent.hub.Waiter}). This is the low-level primitive every blocking call of the
 * library is built on; applications should prefer {@code Event}, {@code AsyncResult} or the
 * queues.
 *
 * <p>Exactly one greenlet may call {@link #get()}. {@link #switchTo} and {@link #throwInto} may be
 * called from the waiter's hub thread (a greenlet or a hub callback) and never block; the first
 * one wins, later ones are ignored. A waiter created by {@link Hub#newWaiter()} belongs to that hub.
 *
 * @param <T> the type of the value passed
 */
public interface Waiter<T> {
    /**
     * Blocks the calling greenlet until {@link #switchTo} or {@link #throwInto} is called; returns
     * at once if that already happened.
     *
     * @return the value given to {@code switchTo}
     * @throws BlockingSwitchOutError if called from a hub callback
     * @throws IllegalStateException if another greenlet is already waiting on it
     */
    T get();

    /**
     * Wakes the greenlet blocked in {@link #get()} with {@code value}.
     *
     * @param value the value {@code get()} returns
     */
    void switchTo(T value);

    /**
     * Wakes the greenlet blocked in {@link #get()} by throwing {@code error} from it; a checked
     * exception is thrown as it is.
     *
     * @param error the exception to throw, not null
     */
    void throwInto(Throwable error);

    /** @return true once {@code switchTo} or {@code throwInto} has been called */
    boolean ready();
}
