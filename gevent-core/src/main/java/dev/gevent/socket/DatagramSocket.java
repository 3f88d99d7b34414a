package dev.gevent.socket;

import dev.gevent.internal.HubRef;
import dev.gevent.internal.IoWait;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.Objects;

/**
 * A cooperative UDP socket (gevent: a {@code SOCK_DGRAM} {@code gevent.socket.socket}).
 * {@link #receive} blocks only the calling greenlet; one greenlet may receive while another sends.
 * Several greenlets that send (or receive) at once take turns, first come first served, so handler
 * greenlets may share one socket to reply. Ownership and thread-safety as {@linkplain dev.gevent.socket described for the package}.
 */
public final class DatagramSocket extends SocketBase {
    private final IoWait input;
    private final IoWait output;

    private DatagramSocket(HubRef hub, Transport transport, SocketHandle handle) {
        super(hub, transport, handle);
        this.input = new IoWait(hub);
        this.output = new IoWait(hub);
    }

    /**
     * Opens a socket bound to {@code local}.
     *
     * @param local the address, port 0 for any (for example {@code new InetSocketAddress("127.0.0.1", 0)})
     * @return the socket, owned by the calling thread's hub
     * @throws java.net.BindException if the address is in use
     * @throws IOException on other failures
     */
    public static DatagramSocket bind(SocketAddress local) throws IOException {
        Objects.requireNonNull(local, "local");
        local = Dns.resolved(local);
        HubRef hub = HubRef.current();
        Transport transport = hub.transport();
        return new DatagramSocket(hub, transport, transport.openDatagram(local));
    }

    /**
     * Sends what remains in {@code src} as one datagram.
     *
     * @param src the datagram (at most 65,507 bytes over IPv4)
     * @param target where to; an unresolved address is resolved through {@link Dns}
     * @throws java.net.SocketTimeoutException if the socket's timeout passed before it could be sent
     * @throws IOException if it cannot be sent (too large, no route)
     */
    public void send(ByteBuffer src, SocketAddress target) throws IOException {
        checkOwner("send");
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(target, "target");
        target = Dns.resolved(target);
        takeTurn(output);
        try {
            if (transport.sendTo(handle, src, target, output) == Transport.PENDING) {
                output.await(transport, handle, timeoutNanos, "send");
            }
        } finally {
            output.exit();
        }
    }

    /**
     * Waits for one datagram (bounded by the {@linkplain #setTimeout timeout}) and puts it into
     * {@code dst}; what does not fit is discarded.
     *
     * @param dst where to put it
     * @return the sender's address
     * @throws java.net.SocketTimeoutException if the timeout passed first
     * @throws java.nio.channels.AsynchronousCloseException if the socket was closed meanwhile
     * @throws IOException on other failures
     */
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        checkOwner("receive");
        Objects.requireNonNull(dst, "dst");
        takeTurn(input);
        try {
            SocketAddress sender = transport.receiveFrom(handle, dst, input);
            if (sender == null) {
                input.await(transport, handle, timeoutNanos, "receive");
                sender = (SocketAddress) input.value();
            }
            return sender;
        } finally {
            input.exit();
        }
    }

    /**
     * Waits for this caller's turn in {@code direction}. A close while it waited fails it as a close
     * during the operation itself does, so that every greenlet blocked in {@code receive} or
     * {@code send} wakes with {@link AsynchronousCloseException}.
     */
    private void takeTurn(IoWait direction) throws IOException {
        boolean openBefore = isOpen();
        direction.enter();
        if (openBefore && !isOpen()) {
            direction.exit();
            throw new AsynchronousCloseException();
        }
    }

    /**
     * Sets a socket option ({@code StandardSocketOptions}: SO_BROADCAST, SO_SNDBUF, SO_RCVBUF, ...).
     *
     * @param name the option
     * @param value its value
     * @param <T> its type
     * @return this socket
     * @throws UnsupportedOperationException if the option does not apply to this socket
     * @throws IOException if it fails
     */
    public <T> DatagramSocket setOption(SocketOption<T> name, T value) throws IOException {
        applyOption(name, value);
        return this;
    }

    /** @return the address it is bound to (the port chosen for port 0) */
    public InetSocketAddress localAddress() {
        return localAddressOrNull() instanceof InetSocketAddress inet ? inet : null;
    }

    /**
     * Closes the socket; greenlets blocked in {@link #receive} or {@link #send} wake with
     * {@link java.nio.channels.AsynchronousCloseException}. Idempotent.
     */
    @Override
    public void close() throws IOException {
        super.close();
    }

    @Override
    public String toString() {
        return "DatagramSocket[" + (isOpen() ? localAddress() : "closed") + "]";
    }
}
