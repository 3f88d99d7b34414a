package dev.gevent.internal;

import dev.gevent.spi.Completion;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;

/**
 * One direction of a socket as its greenlets see it: the {@link Completion} given to the
 * transport's operations in that direction and the rendezvous on which the calling greenlet waits
 * for it. Reused for every operation, with its own timeout timer, so that an operation that has to
 * wait allocates nothing. Internal API for gevent-core's sockets; hub thread only.
 *
 * <p>A kill or Timeout that lands while an operation is pending, or the socket's own timeout,
 * withdraws the operation from the loop before the exception propagates, so nothing about it stays
 * registered. If the operation completed in the same loop iteration, what it produced is dropped
 * (an accepted socket is closed), as gevent drops it.
 */
public final class IoWait implements Completion {
    private static final int PENDING = 0;
    private static final int COMPLETED = 1;
    private static final int FAILED = 2;
    private static final int TIMED_OUT = 3;

    private final HubImpl hub;
    private final WaiterImpl<Object> waiter;
    private final Expiry expiry;
    private int state;
    private long result;
    private Object value;
    private IOException error;
    /** Set while a greenlet holds this direction through {@link #enter()}. */
    private boolean busy;
    /** Greenlets waiting in {@link #enter()}, first come first served; made on first contention. */
    private ArrayDeque<WaiterImpl<Object>> entrants;

    /** @param hub the hub of the socket this direction belongs to */
    public IoWait(HubRef hub) {
        this.hub = hub.impl;
        this.waiter = new WaiterImpl<>(this.hub);
        this.expiry = new Expiry(this.hub, this);
    }

    /**
     * Waits for the operation that was just started with this completion and returned
     * {@link Transport#PENDING}.
     *
     * @param transport the transport that started it
     * @param socket its socket
     * @param timeoutNanos the most to wait, or a negative number to wait forever
     * @param operation what it is, for the timeout's message ("read", "accept")
     * @return the operation's result; its value is then {@link #value()}
     * @throws SocketTimeoutException if {@code timeoutNanos} passed first (the operation is withdrawn)
     * @throws IOException what the operation failed with
     */
    public long await(Transport transport, SocketHandle socket, long timeoutNanos, String operation) throws IOException {
        state = PENDING;
        value = null;
        error = null;
        waiter.reset();
        if (timeoutNanos >= 0) {
            hub.timers.add(expiry, System.nanoTime() + timeoutNanos);
        }
        try {
            waiter.get();
        } catch (Throwable e) {
            abandon(transport, socket, e);
            throw e;
        } finally {
            hub.timers.remove(expiry);
        }
        return switch (state) {
            case COMPLETED -> result;
            case FAILED -> throw error;
            default -> {
                transport.cancel(socket, this);
                throw new SocketTimeoutException(operation + " timed out after " + formatNanos(timeoutNanos));
            }
        };
    }

    /**
     * Waits until no other greenlet uses this direction, then claims it, first come first served:
     * for sockets whose users take turns (a datagram socket shared by handler greenlets) rather
     * than get an {@link IllegalStateException}. Pair with {@link #exit()} in a finally block.
     */
    public void enter() {
        if (!busy) {
            busy = true;
            return;
        }
        if (entrants == null) {
            entrants = new ArrayDeque<>();
        }
        WaiterImpl<Object> turn = new WaiterImpl<>(hub);
        entrants.addLast(turn);
        try {
            turn.get();
        } catch (Throwable e) {
            if (!entrants.remove(turn)) {
                // the turn was handed over just as the kill landed: pass it on
                exit();
            }
            throw e;
        }
    }

    /** Ends an {@link #enter()}: hands the direction to the next waiting greenlet, if any. */
    public void exit() {
        WaiterImpl<Object> next = entrants == null ? null : entrants.pollFirst();
        if (next == null) {
            busy = false;
        } else {
            next.switchTo(null);
        }
    }

    /** @return what the last completed operation handed over (an accepted socket, a sender) */
    public Object value() {
        return value;
    }

    private void abandon(Transport transport, SocketHandle socket, Throwable cause) {
        if (state == PENDING) {
            transport.cancel(socket, this);
        } else if (state == COMPLETED && value instanceof SocketHandle accepted) {
            try {
                transport.close(accepted);
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
        value = null;
    }

    @Override
    public void complete(long result, Object value) {
        if (state == PENDING) {
            this.result = result;
            this.value = value;
            state = COMPLETED;
            waiter.switchTo(null);
        }
    }

    @Override
    public void fail(IOException error) {
        if (state == PENDING) {
            this.error = error;
            state = FAILED;
            waiter.switchTo(null);
        }
    }

    private void expire() {
        if (state == PENDING) {
            state = TIMED_OUT;
            waiter.switchTo(null);
        }
    }

    static String formatNanos(long nanos) {
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + " ms";
        }
        return String.format(java.util.Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    @Override
    public String toString() {
        return "IoWait[" + waiter + "]";
    }

    /** The socket timeout of one operation: reused, so a timed operation allocates nothing either. */
    private static final class Expiry extends Timer {
        private final IoWait owner;

        Expiry(HubImpl hub, IoWait owner) {
            super(hub);
            this.owner = owner;
        }

        @Override
        void fire() {
            owner.expire();
        }

        @Override
        public String toString() {
            return "socket timeout of " + owner;
        }
    }
}
