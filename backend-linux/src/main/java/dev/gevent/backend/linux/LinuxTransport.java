package dev.gevent.backend.linux;

import dev.gevent.spi.Completion;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;

/**
 * What the transports of the Linux loops do alike: open sockets with {@link LinuxSockets} and hand
 * each to their loop ({@link #track}), find the socket behind a handle, and set and read options
 * and addresses with direct system calls, which complete at once as the contract wants. The
 * operations that may wait are each loop's own. Hub thread only.
 *
 * @param <S> the loop's socket
 */
public abstract class LinuxTransport<S extends LinuxSocket & SocketHandle> implements Transport {
    protected final LinuxSockets sockets;

    protected LinuxTransport(LinuxSockets sockets) {
        this.sockets = sockets;
    }

    /** @throws IllegalStateException if the loop is closed */
    protected abstract void ensureLoopOpen();

    /**
     * Hands a new descriptor to the loop.
     *
     * @param bound whether it has a local address already
     * @throws IOException if the loop cannot take it; the descriptor is closed then
     */
    protected abstract S track(int fd, Kind kind, int family, boolean bound) throws IOException;

    /** @throws IllegalArgumentException if {@code handle} is not a socket this transport opened */
    protected abstract S socketOf(SocketHandle handle);

    @Override
    public final SocketHandle listen(SocketAddress local, int backlog, boolean reusePort) throws IOException {
        ensureLoopOpen();
        int family = SockAddr.family(local);
        return track(sockets.listen(local, family, backlog, reusePort), Kind.LISTENER, family, true);
    }

    @Override
    public final SocketHandle openStream(SocketAddress remote) throws IOException {
        ensureLoopOpen();
        int family = SockAddr.family(remote);
        return track(sockets.open(family, Linux.SOCK_STREAM), Kind.STREAM, family, false);
    }

    @Override
    public final SocketHandle openDatagram(SocketAddress local) throws IOException {
        ensureLoopOpen();
        int family = SockAddr.family(local);
        return track(sockets.openDatagram(local, family), Kind.DATAGRAM, family, true);
    }

    /**
     * Closes the descriptor and fails what was pending on the socket; closing a closed socket does
     * nothing. A connected socket's close sends FIN first (only a reset under SO_LINGER 0), as the
     * JDK's does; how the loop lets go of the descriptor first is {@link #closeDescriptor}.
     */
    @Override
    public final void close(SocketHandle handle) throws IOException {
        S socket = socketOf(handle);
        if (!socket.isOpen()) {
            return;
        }
        IOException closeError = closeDescriptor(socket);
        Failures.rethrowAfterClose(failPending(socket), closeError);
    }

    /**
     * Marks the socket closed, has the loop let go of it, and closes its descriptor.
     *
     * @return the failure of close(2), or null
     */
    protected abstract IOException closeDescriptor(S socket);

    /**
     * Fails the operations still pending on a socket just closed.
     *
     * @return what their completions threw, or null
     */
    protected abstract Throwable failPending(S socket);

    @Override
    public final <T> void setOption(SocketHandle handle, SocketOption<T> option, T value) throws IOException {
        sockets.setOption(open(handle), Objects.requireNonNull(option, "option"), value);
    }

    @Override
    public final <T> T getOption(SocketHandle handle, SocketOption<T> option) throws IOException {
        return sockets.getOption(open(handle), Objects.requireNonNull(option, "option"));
    }

    @Override
    public final SocketAddress localAddress(SocketHandle handle) throws IOException {
        return sockets.localAddress(open(handle));
    }

    @Override
    public final SocketAddress remoteAddress(SocketHandle handle) throws IOException {
        return sockets.remoteAddress(open(handle));
    }

    /**
     * @param operation its name, for the message if the socket is of another kind
     * @return the socket, open and of the kind the operation needs, with a completion to call if it must wait
     */
    protected final S usable(SocketHandle handle, Completion completion, Kind kind, String operation)
            throws ClosedChannelException {
        Objects.requireNonNull(completion, "completion");
        S socket = open(handle);
        socket.require(kind, operation);
        return socket;
    }

    /** @throws ClosedChannelException if the socket was closed */
    protected final S open(SocketHandle handle) throws ClosedChannelException {
        S socket = socketOf(handle);
        if (!socket.isOpen()) {
            throw new ClosedChannelException();
        }
        return socket;
    }
}
