package dev.gevent.socket;

import dev.gevent.internal.HubRef;
import dev.gevent.internal.IoWait;
import dev.gevent.internal.StreamSocketInput;
import dev.gevent.internal.StreamSocketOutput;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * A cooperative TCP or Unix domain stream socket (gevent: {@code gevent.socket.socket}). Reads and
 * writes block only the calling greenlet; one greenlet may read while another writes. Ownership and
 * thread-safety as {@linkplain dev.gevent.socket described for the package}.
 *
 * <p>Exceptions are the JDK's: {@link java.net.ConnectException} for a refused connection,
 * {@link java.net.SocketException} for a reset, {@link SocketTimeoutException} when the socket's
 * timeout passes, {@link java.nio.channels.AsynchronousCloseException} for an operation pending
 * when the socket was closed, {@link java.nio.channels.ClosedChannelException} for one started
 * after.
 */
public final class Socket extends SocketBase implements StreamSocket {
    private final IoWait input;
    private final IoWait output;
    private InputStream inputStream;
    private OutputStream outputStream;
    private SocketAddress remote;

    Socket(HubRef hub, Transport transport, SocketHandle handle) {
        super(hub, transport, handle);
        this.input = new IoWait(hub);
        this.output = new IoWait(hub);
    }

    /**
     * Connects to {@code remote}, waiting as long as it takes.
     *
     * @param remote an {@link InetSocketAddress} (an unresolved one is resolved through {@link Dns})
     *     or a {@link java.net.UnixDomainSocketAddress}
     * @return the connected socket
     * @throws java.net.ConnectException if refused
     * @throws IOException on other failures
     */
    public static Socket connect(SocketAddress remote) throws IOException {
        return connect(remote, null);
    }

    /**
     * Connects to {@code remote}, waiting at most {@code timeout}.
     *
     * @param remote as for {@link #connect(SocketAddress)}
     * @param timeout the most to wait, or null for no bound
     * @return the connected socket, with no timeout set
     * @throws SocketTimeoutException if the timeout passed first
     * @throws java.net.ConnectException if refused
     * @throws IOException on other failures
     */
    public static Socket connect(SocketAddress remote, Duration timeout) throws IOException {
        Objects.requireNonNull(remote, "remote");
        long timeoutNanos = toNanos(timeout);
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        remote = Dns.resolved(remote);
        return open(remote, timeoutNanos, deadline);
    }

    /**
     * Connects to {@code host}, trying each of its addresses in turn until one accepts (gevent:
     * {@code create_connection}).
     *
     * @param host a name (resolved cooperatively through {@link Dns}) or an address literal
     * @param port the port
     * @return the connected socket
     * @throws java.net.UnknownHostException if the name does not resolve
     * @throws IOException the last address's failure, with the others suppressed in it
     */
    public static Socket connect(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
        IOException failure = null;
        for (InetAddress address : Dns.getAllByName(host)) {
            try {
                return open(new InetSocketAddress(address, port), -1, 0);
            } catch (IOException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw failure;
    }

    private static Socket open(SocketAddress remote, long timeoutNanos, long deadline) throws IOException {
        HubRef hub = HubRef.current();
        Transport transport = hub.transport();
        Socket socket = new Socket(hub, transport, transport.openStream(remote));
        try {
            if (transport.connect(socket.handle, remote, socket.output) == Transport.PENDING) {
                socket.output.await(transport, socket.handle, remaining(timeoutNanos, deadline), "connect to " + remote);
            }
            socket.remote = remote;
            return socket;
        } catch (Throwable e) {
            socket.closeAfter(e);
            throw e;
        }
    }

    /** Closes this socket because {@code cause} ends its use, keeping a close failure as suppressed. */
    void closeAfter(Throwable cause) {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkOwner("read");
        if (!Objects.requireNonNull(dst, "dst").hasRemaining()) {
            checkOpen();
            return 0;
        }
        long n = transport.read(handle, dst, input);
        if (n == Transport.PENDING) {
            n = input.await(transport, handle, timeoutNanos, "read");
        }
        return (int) n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        checkOwner("write");
        if (!Objects.requireNonNull(src, "src").hasRemaining()) {
            checkOpen();
            return 0;
        }
        return write(src, timeoutNanos);
    }

    private int write(ByteBuffer src, long timeout) throws IOException {
        long n = transport.write(handle, src, output);
        if (n == Transport.PENDING) {
            n = output.await(transport, handle, timeout, "write");
        }
        return (int) n;
    }

    @Override
    public void writeFully(ByteBuffer src) throws IOException {
        checkOwner("writeFully");
        Objects.requireNonNull(src, "src");
        long timeout = timeoutNanos;
        long deadline = timeout < 0 ? 0 : System.nanoTime() + timeout;
        while (src.hasRemaining()) {
            long left = remaining(timeout, deadline);
            if (left == 0) {
                throw new SocketTimeoutException("writeFully timed out with " + src.remaining() + " bytes unwritten");
            }
            write(src, left);
        }
    }

    @Override
    public InputStream inputStream() {
        if (inputStream == null) {
            inputStream = new StreamSocketInput(this);
        }
        return inputStream;
    }

    @Override
    public OutputStream outputStream() {
        if (outputStream == null) {
            outputStream = new StreamSocketOutput(this);
        }
        return outputStream;
    }

    /**
     * Ends this side's input: later reads return the end of the stream.
     *
     * @throws IOException if it fails
     */
    public void shutdownInput() throws IOException {
        checkOwner("shutdownInput");
        transport.shutdown(handle, true, false);
    }

    @Override
    public void shutdownOutput() throws IOException {
        checkOwner("shutdownOutput");
        transport.shutdown(handle, false, true);
    }

    /**
     * Sets a socket option ({@code StandardSocketOptions}: TCP_NODELAY, SO_KEEPALIVE, SO_LINGER,
     * SO_SNDBUF, SO_RCVBUF, ...).
     *
     * @param name the option
     * @param value its value
     * @param <T> its type
     * @return this socket
     * @throws UnsupportedOperationException if the option does not apply to this socket
     * @throws IOException if it fails
     */
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        applyOption(name, value);
        return this;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddressOrNull();
    }

    @Override
    public SocketAddress remoteAddress() {
        if (remote == null && isOpen() && hub.isHubThread()) {
            try {
                remote = transport.remoteAddress(handle);
            } catch (IOException e) {
                return null;
            }
        }
        return remote;
    }

    @Override
    public String toString() {
        return "Socket[" + (isOpen() ? localAddress() + " -> " + remoteAddress() : "closed") + "]";
    }
}
