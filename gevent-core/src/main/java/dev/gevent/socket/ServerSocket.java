package dev.gevent.socket;

import dev.gevent.internal.HubRef;
import dev.gevent.internal.IoWait;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * A cooperative listening socket (gevent: a listening {@code gevent.socket.socket}). {@link #accept}
 * blocks only the calling greenlet. SO_REUSEADDR is set on TCP listeners, so a server restarts at
 * once on the port it had. Ownership and thread-safety as
 * {@linkplain dev.gevent.socket described for the package}.
 */
public final class ServerSocket extends SocketBase {
    /** The listen backlog of {@link #bind(SocketAddress)}; the kernel caps it at somaxconn. */
    public static final int DEFAULT_BACKLOG = 1024;

    private final IoWait input;

    private ServerSocket(HubRef hub, Transport transport, SocketHandle handle) {
        super(hub, transport, handle);
        this.input = new IoWait(hub);
    }

    /**
     * Listens on {@code local} with the {@linkplain #DEFAULT_BACKLOG default backlog}.
     *
     * @param local an {@link InetSocketAddress} (port 0: any free port) or a
     *     {@link java.net.UnixDomainSocketAddress}
     * @return the listener, owned by the calling thread's hub
     * @throws java.net.BindException if the address is in use
     * @throws IOException on other failures
     */
    public static ServerSocket bind(SocketAddress local) throws IOException {
        return bind(local, DEFAULT_BACKLOG, false);
    }

    /**
     * Listens on {@code local}.
     *
     * @param local as for {@link #bind(SocketAddress)}
     * @param backlog the listen backlog; 0 or less: the backend's default
     * @param reusePort set SO_REUSEPORT, so that several listeners (one per hub) share the port
     * @return the listener, owned by the calling thread's hub
     * @throws java.net.BindException if the address is in use
     * @throws UnsupportedOperationException if {@code reusePort} is not supported here
     * @throws IOException on other failures
     */
    public static ServerSocket bind(SocketAddress local, int backlog, boolean reusePort) throws IOException {
        Objects.requireNonNull(local, "local");
        local = Dns.resolved(local);
        HubRef hub = HubRef.current();
        Transport transport = hub.transport();
        return new ServerSocket(hub, transport, transport.listen(local, backlog, reusePort));
    }

    /**
     * Waits for a connection (bounded by the {@linkplain #setTimeout timeout}).
     *
     * @return the connection, owned by this listener's hub
     * @throws java.net.SocketTimeoutException if the timeout passed first
     * @throws java.nio.channels.AsynchronousCloseException if the listener was closed meanwhile
     * @throws IOException on other failures
     */
    public Socket accept() throws IOException {
        checkOwner("accept");
        SocketHandle accepted = transport.accept(handle, input);
        if (accepted == null) {
            input.await(transport, handle, timeoutNanos, "accept");
            accepted = (SocketHandle) input.value();
        }
        return new Socket(hub, transport, accepted);
    }

    /**
     * @return the address it listens on (the port chosen for port 0); null for a Unix domain
     *     listener, whose address is {@link #address()}
     */
    public InetSocketAddress localAddress() {
        return localAddressOrNull() instanceof InetSocketAddress inet ? inet : null;
    }

    /** @return the address it listens on, of any family */
    public SocketAddress address() {
        return localAddressOrNull();
    }

    /**
     * Closes the listener; greenlets blocked in {@link #accept} wake with
     * {@link java.nio.channels.AsynchronousCloseException}. Idempotent. A Unix domain listener's
     * socket file is left in place, as by the JDK; delete it to reuse the path.
     */
    @Override
    public void close() throws IOException {
        super.close();
    }

    @Override
    public String toString() {
        return "ServerSocket[" + (isOpen() ? address() : "closed") + "]";
    }
}
