package dev.gevent.spi;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * The socket operations of one {@link EventLoop}, completion style, so that readiness (epoll) and
 * completion (io_uring) backends are both first-class. Hub thread only.
 *
 * <p><b>Operations.</b> An asynchronous operation either finishes at once (a non-blocking call
 * that succeeded: the result is returned and the completion is not called) or returns
 * {@link #PENDING}: the {@link Completion} is called exactly once later, unless the operation is
 * {@linkplain #cancel cancelled} first. A socket has at most one pending operation per direction:
 * an input one (accept, read, receiveFrom) and an output one (connect, write, sendTo), so that a
 * reader and a writer never disturb each other; starting a second in one direction is an
 * {@link IllegalStateException}. A failure detected at once is thrown.
 *
 * <p><b>Buffers.</b> A read or write moves the buffer's position by the bytes transferred, also
 * when it completes later; the buffer must not be touched while the operation is pending. Direct
 * buffers are used in place; a backend may copy heap buffers.
 *
 * <p><b>Errors.</b> Backends report the same exception types as the JDK's socket channels:
 * {@code ConnectException} for a refused connection, {@code BindException} for an address in use,
 * {@code SocketException} for a reset, {@code AsynchronousCloseException} for an operation pending
 * when its socket was closed, {@code ClosedChannelException} for an operation started on a closed
 * socket. A system call interrupted by a signal (EINTR) is retried by the backend and never
 * reported; a would-block (EAGAIN) is {@link #PENDING}. The TCK's fault injection
 * ({@code dev.gevent.tck.fault}) holds the layers above to this: they must cope with any operation
 * being pending, with one-byte transfers and with early returns from {@link EventLoop#poll}.
 */
public interface Transport {
    /** Returned by an operation that will complete later through its {@link Completion}. */
    long PENDING = Long.MIN_VALUE;

    /**
     * Opens a listening stream socket.
     *
     * @param local the address (an {@code InetSocketAddress}, port 0 for any, or a
     *     {@code UnixDomainSocketAddress})
     * @param backlog the listen backlog; 0 or less: the backend's default
     * @param reusePort whether to set SO_REUSEPORT (several listeners on one port)
     * @return the listener
     * @throws java.net.BindException if the address is in use
     * @throws IOException on other failures
     */
    SocketHandle listen(SocketAddress local, int backlog, boolean reusePort) throws IOException;

    /**
     * Opens an unconnected stream socket of the family of {@code remote}, ready for
     * {@link #connect}.
     *
     * @param remote the address it will connect to
     * @return the socket
     * @throws IOException if it cannot be opened
     */
    SocketHandle openStream(SocketAddress remote) throws IOException;

    /**
     * Opens a datagram socket bound to {@code local}.
     *
     * @param local the address, port 0 for any
     * @return the socket
     * @throws IOException if it cannot be bound
     */
    SocketHandle openDatagram(SocketAddress local) throws IOException;

    /**
     * Accepts a connection (input direction).
     *
     * @param listener a socket from {@link #listen}
     * @param completion called with the accepted {@link SocketHandle} as its value if pending
     * @return the accepted socket, or null if pending
     * @throws IOException if it failed at once
     */
    SocketHandle accept(SocketHandle listener, Completion completion) throws IOException;

    /**
     * Connects (output direction).
     *
     * @param socket a socket from {@link #openStream}
     * @param remote the peer
     * @param completion called with result 0 if pending
     * @return 0 if connected at once, or {@link #PENDING}
     * @throws IOException if it failed at once ({@code ConnectException} if refused)
     */
    long connect(SocketHandle socket, SocketAddress remote, Completion completion) throws IOException;

    /**
     * Reads into {@code dst} (input direction).
     *
     * @param socket a connected stream socket
     * @param dst where to read; at least one byte free
     * @param completion called if pending
     * @return bytes read (at least 1), -1 at end of stream, or {@link #PENDING}
     * @throws IOException if it failed at once
     */
    long read(SocketHandle socket, ByteBuffer dst, Completion completion) throws IOException;

    /**
     * Writes from {@code src}, possibly not all of it (output direction). A loop may copy the bytes
     * it reports as written into a buffer of its own and hand them to the kernel at its next
     * {@link EventLoop#poll} rather than at once (io_uring's opt-in write-behind); they then still
     * go before the bytes of any later write and before a {@link #shutdown} of the output, and a
     * {@link #close} sends them first.
     *
     * @param socket a connected stream socket
     * @param src what to write; at least one byte remaining
     * @param completion called if pending
     * @return bytes written (at least 1), or {@link #PENDING}
     * @throws IOException if it failed at once (never a SIGPIPE)
     */
    long write(SocketHandle socket, ByteBuffer src, Completion completion) throws IOException;

    /**
     * Sends one datagram (output direction).
     *
     * @param socket a socket from {@link #openDatagram}
     * @param src the datagram
     * @param target where to
     * @param completion called if pending
     * @return bytes sent, or {@link #PENDING}
     * @throws IOException if it failed at once
     */
    long sendTo(SocketHandle socket, ByteBuffer src, SocketAddress target, Completion completion) throws IOException;

    /**
     * Receives one datagram into {@code dst} (input direction); what does not fit is discarded.
     *
     * @param socket a socket from {@link #openDatagram}
     * @param dst where to
     * @param completion called with the sender's address as its value if pending
     * @return the sender's address, or null if pending
     * @throws IOException if it failed at once
     */
    SocketAddress receiveFrom(SocketHandle socket, ByteBuffer dst, Completion completion) throws IOException;

    /**
     * Withdraws the pending operation that {@code completion} is waiting for. Afterwards nothing
     * about it stays registered in the loop and {@code completion} is not called for it.
     *
     * @param socket its socket
     * @param completion the completion given to the operation
     * @return true if an operation was pending and is now withdrawn; false if none was
     */
    boolean cancel(SocketHandle socket, Completion completion);

    /**
     * Shuts down one or both directions of a connected stream socket.
     *
     * @param socket the socket
     * @param input shut down reading
     * @param output shut down writing (sends FIN)
     * @throws IOException if it fails
     */
    void shutdown(SocketHandle socket, boolean input, boolean output) throws IOException;

    /**
     * Closes the socket. Every operation pending on it completes with
     * {@link java.nio.channels.AsynchronousCloseException}. Idempotent.
     *
     * @param socket the socket
     * @throws IOException if closing failed (the socket is closed all the same)
     */
    void close(SocketHandle socket) throws IOException;

    /**
     * @param socket the socket
     * @param option a standard option ({@code StandardSocketOptions})
     * @param value its value
     * @param <T> its type
     * @throws UnsupportedOperationException if the option does not apply to this socket
     * @throws IOException if it fails
     */
    <T> void setOption(SocketHandle socket, SocketOption<T> option, T value) throws IOException;

    /**
     * @param socket the socket
     * @param option a standard option
     * @param <T> its type
     * @return its value
     * @throws IOException if it fails
     */
    <T> T getOption(SocketHandle socket, SocketOption<T> option) throws IOException;

    /**
     * @param socket the socket
     * @return its local address, or null if unbound
     * @throws IOException if it fails
     */
    SocketAddress localAddress(SocketHandle socket) throws IOException;

    /**
     * @param socket the socket
     * @return its peer's address, or null if not connected
     * @throws IOException if it fails
     */
    SocketAddress remoteAddress(SocketHandle socket) throws IOException;
}
