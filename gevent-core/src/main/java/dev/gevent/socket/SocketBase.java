package dev.gevent.socket;

import dev.gevent.internal.HubRef;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;

/**
 * What the three socket kinds share: the hub that owns the socket, its transport handle, the
 * per-operation timeout and closing from any thread.
 */
abstract class SocketBase implements Closeable {
    final HubRef hub;
    final Transport transport;
    final SocketHandle handle;
    /** Per operation; negative: none. Written by any thread, read by the operation. */
    volatile long timeoutNanos = -1;
    private volatile boolean closed;
    private SocketAddress local;

    SocketBase(HubRef hub, Transport transport, SocketHandle handle) {
        this.hub = hub;
        this.transport = transport;
        this.handle = handle;
    }

    /**
     * Bounds each later operation; expiry raises {@link java.net.SocketTimeoutException}.
     *
     * @param timeout the bound, or null for none (the default)
     * @throws IllegalArgumentException if negative
     */
    public void setTimeout(Duration timeout) {
        timeoutNanos = toNanos(timeout);
    }

    /** @return the timeout set by {@link #setTimeout}, or null for none */
    public Duration timeout() {
        long t = timeoutNanos;
        return t < 0 ? null : Duration.ofNanos(t);
    }

    /**
     * @param name a socket option ({@code StandardSocketOptions})
     * @param <T> its type
     * @return its value
     * @throws UnsupportedOperationException if the option does not apply to this socket
     * @throws IOException if it fails
     */
    public <T> T getOption(SocketOption<T> name) throws IOException {
        checkOwner("getOption");
        return transport.getOption(handle, Objects.requireNonNull(name, "name"));
    }

    /** What each kind's {@code setOption} does; they differ only in the type they return. */
    final <T> void applyOption(SocketOption<T> name, T value) throws IOException {
        checkOwner("setOption");
        transport.setOption(handle, Objects.requireNonNull(name, "name"), value);
    }

    /** @return true until closed */
    public boolean isOpen() {
        return !closed && handle.isOpen();
    }

    /**
     * Closes the socket; every greenlet blocked on it wakes with an IOException
     * ({@link java.nio.channels.AsynchronousCloseException}). Idempotent. From a thread other than
     * the owning hub's, the close is handed to the hub and happens soon after this returns.
     *
     * @throws IOException if closing failed (the socket is closed all the same)
     */
    @Override
    public void close() throws IOException {
        if (!hub.isHubThread()) {
            hub.execute(this::closeQuietly);
            return;
        }
        if (closed) {
            return;
        }
        localAddressOrNull();
        closed = true;
        transport.close(handle);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            hub.reportError(this, e);
        }
    }

    /** @return the local address, or null if unbound; still known after close */
    SocketAddress localAddressOrNull() {
        if (local == null && !closed && hub.isHubThread() && handle.isOpen()) {
            try {
                local = transport.localAddress(handle);
            } catch (IOException e) {
                return null;
            }
        }
        return local;
    }

    /** @throws ClosedChannelException if the socket is closed: also for an operation with nothing to transfer */
    final void checkOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /**
     * @param operation what the caller is about to do, for the message
     * @throws IllegalStateException if the caller is not a greenlet of the owning hub
     */
    final void checkOwner(String operation) {
        if (!hub.isHubThread()) {
            throw new IllegalStateException(operation + " on " + this + " from " + Thread.currentThread()
                    + ": a socket is used by the greenlets of the hub that opened it (" + hub.name()
                    + "); only close() may be called from another thread");
        }
    }

    static long toNanos(Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    /** @return the nanoseconds left before {@code deadline}, or -1 with no deadline (a negative {@code timeout}) */
    static long remaining(long timeout, long deadline) {
        return timeout < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
    }
}
