package dev.gevent.backend.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.NotYetConnectedException;

/**
 * The synchronous socket calls of a Linux loop's transport, which complete at once whatever the
 * loop does with operations that wait: socket creation, bind and listen, options, addresses,
 * shutdown and close, each failing as the JDK's channels fail. One per loop, with the native memory
 * those calls reuse so that none allocates: a {@code sockaddr_storage} with its length and room for
 * an option value. Hub thread only; the buffers are freed with the loop.
 */
public final class LinuxSockets {
    /** The binding the calls go through. */
    public final SocketCalls calls;
    public final ByteBuffer address = allocate(Linux.SOCKADDR_STORAGE);
    public final long addressPointer = address(address);
    /** A {@code socklen_t}, in and out of the calls that fill {@link #address} or {@link #option}. */
    public final ByteBuffer length = allocate(Integer.BYTES);
    public final long lengthPointer = address(length);
    /** An option value: an int, a {@code struct linger} or a {@code struct ip_mreqn}. */
    public final ByteBuffer option = allocate(16);
    public final long optionPointer = address(option);
    /** Or-ed into every socket(2) type: SOCK_CLOEXEC, and SOCK_NONBLOCK for a readiness loop. */
    private final int typeFlags;

    /** @param typeFlags flags for socket(2)'s type, such as {@link Linux#SOCK_CLOEXEC} */
    public LinuxSockets(SocketCalls calls, int typeFlags) {
        this.calls = calls;
        this.typeFlags = typeFlags;
    }

    /** @return a native-ordered direct buffer of {@code size} bytes, zeroed */
    private static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    private static long address(ByteBuffer fresh) {
        return MemorySegment.ofBuffer(fresh).address();
    }

    /** @return a new socket of {@code family} and {@code type}, with the loop's type flags */
    public int open(int family, int type) throws IOException {
        int fd = calls.socket(family, type | typeFlags, 0);
        if (fd < 0) {
            throw calls.socketError(calls.errno());
        }
        return fd;
    }

    /**
     * Opens a stream socket listening on {@code local}: SO_REUSEADDR on an IP socket, as the JDK's
     * servers have it, SO_REUSEPORT if asked, bind, listen. Closes it again if any step fails.
     *
     * @param family {@link SockAddr#family} of {@code local}
     * @param backlog the listen backlog; 0 or less for the system's maximum
     * @return the listening descriptor
     * @throws UnsupportedOperationException for SO_REUSEPORT on a Unix domain socket
     */
    public int listen(SocketAddress local, int family, int backlog, boolean reusePort) throws IOException {
        if (reusePort && family == Linux.AF_UNIX) {
            throw new UnsupportedOperationException("SO_REUSEPORT is not supported for " + local);
        }
        int fd = open(family, Linux.SOCK_STREAM);
        try {
            if (family != Linux.AF_UNIX) {
                setFlag(fd, Linux.SO_REUSEADDR);
            }
            if (reusePort) {
                setFlag(fd, Linux.SO_REUSEPORT);
            }
            bind(fd, local, family);
            if (calls.listen(fd, backlog > 0 ? backlog : Linux.SOMAXCONN) < 0) {
                throw calls.socketError(calls.errno());
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            calls.close(fd);
            throw e;
        }
    }

    /**
     * Opens a datagram socket bound to {@code local}; closes it again if bind fails.
     *
     * @param family {@link SockAddr#family} of {@code local}
     * @throws UnsupportedOperationException for a Unix domain address, as
     *         {@code DatagramChannel.open(StandardProtocolFamily.UNIX)}
     */
    public int openDatagram(SocketAddress local, int family) throws IOException {
        if (family == Linux.AF_UNIX) {
            throw new UnsupportedOperationException("Protocol family not supported");
        }
        int fd = open(family, Linux.SOCK_DGRAM);
        try {
            bind(fd, local, family);
            return fd;
        } catch (IOException | RuntimeException e) {
            calls.close(fd);
            throw e;
        }
    }

    private void bind(int fd, SocketAddress local, int family) throws IOException {
        int n = SockAddr.encode(local, family, address);
        if (calls.bind(fd, addressPointer, n) < 0) {
            throw calls.socketError(calls.errno());
        }
    }

    private void setFlag(int fd, int name) throws IOException {
        option.putInt(0, 1);
        if (calls.setsockopt(fd, Linux.SOL_SOCKET, name, optionPointer, Integer.BYTES) < 0) {
            throw calls.socketError(calls.errno());
        }
    }

    /**
     * Shuts down a stream socket's directions.
     *
     * @throws NotYetConnectedException if it never connected
     */
    public void shutdown(LinuxSocket socket, boolean input, boolean output) throws IOException {
        socket.require(Kind.STREAM, "shutdown");
        if (input) {
            shutdownDirection(socket, Linux.SHUT_RD);
        }
        if (output) {
            shutdownDirection(socket, Linux.SHUT_WR);
        }
    }

    private void shutdownDirection(LinuxSocket socket, int how) throws IOException {
        if (calls.shutdown(socket.fd, how) < 0) {
            int errno = calls.errno();
            if (errno == Linux.ENOTCONN) {
                // A peer that already reset the connection leaves nothing to shut down; the JDK says
                // so only for a socket that never connected.
                if (!socket.bound) {
                    throw new NotYetConnectedException();
                }
                return;
            }
            throw calls.socketError(errno);
        }
    }

    /**
     * Closes the descriptor of a socket the loop has already marked closed and forgotten. A
     * connected socket's close sends FIN first (only a reset under SO_LINGER 0), as the JDK's does.
     *
     * @return the failure of close(2), or null; EINTR still closed the descriptor on Linux
     */
    public IOException close(LinuxSocket socket) {
        if (socket.kind == Kind.STREAM && socket.bound && socket.linger != 0) {
            finishGracefully(socket);
        }
        if (calls.close(socket.fd) < 0) {
            int errno = calls.errno();
            if (errno != Linux.EINTR) {
                return calls.socketError(errno);
            }
        }
        return null;
    }

    /**
     * Does what the JDK does before closing a connected channel: sends FIN first, so that the peer
     * reads the end of the stream even if unread data here makes close(2) send a reset after it,
     * and turns a positive SO_LINGER off, which would make close(2) block the hub thread. Failures
     * are ignored: the socket may never have connected, or the peer may have reset it already.
     */
    private void finishGracefully(LinuxSocket socket) {
        if (socket.linger > 0) {
            option.putInt(0, 0).putInt(4, 0);
            calls.setsockopt(socket.fd, Linux.SOL_SOCKET, Linux.SO_LINGER, optionPointer, 2 * Integer.BYTES);
        }
        calls.shutdown(socket.fd, Linux.SHUT_WR);
    }

    /**
     * Sets an option, as the JDK's channels check and apply it.
     *
     * @throws UnsupportedOperationException if it does not apply to the socket
     * @throws IllegalArgumentException if the value is out of range
     * @throws IOException if setsockopt fails
     */
    public <T> void setOption(LinuxSocket socket, SocketOption<T> option, T value) throws IOException {
        SocketOptions.set(socket, option, value, this);
    }

    /**
     * Reads an option.
     *
     * @throws UnsupportedOperationException if it does not apply to the socket
     * @throws IOException if getsockopt fails
     */
    public <T> T getOption(LinuxSocket socket, SocketOption<T> option) throws IOException {
        return SocketOptions.get(socket, option, this);
    }

    /** @return the socket's local address, or null before a stream socket connects */
    public SocketAddress localAddress(LinuxSocket socket) throws IOException {
        if (!socket.bound) {
            return null;
        }
        length.putInt(0, Linux.SOCKADDR_STORAGE);
        if (calls.getsockname(socket.fd, addressPointer, lengthPointer) < 0) {
            throw calls.socketError(calls.errno());
        }
        return SockAddr.decode(address, length.getInt(0));
    }

    /** @return a stream socket's peer, or null if it is not connected or not a stream socket */
    public SocketAddress remoteAddress(LinuxSocket socket) throws IOException {
        if (socket.kind != Kind.STREAM) {
            return null;
        }
        length.putInt(0, Linux.SOCKADDR_STORAGE);
        if (calls.getpeername(socket.fd, addressPointer, lengthPointer) < 0) {
            int errno = calls.errno();
            if (errno == Linux.ENOTCONN) {
                return null;
            }
            throw calls.socketError(errno);
        }
        return SockAddr.decode(address, length.getInt(0));
    }
}
