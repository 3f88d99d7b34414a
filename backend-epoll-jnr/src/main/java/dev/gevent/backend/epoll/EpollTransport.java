package dev.gevent.backend.epoll;

import dev.gevent.backend.linux.BufferArguments;
import dev.gevent.backend.linux.Failures;
import dev.gevent.backend.linux.Kind;
import dev.gevent.backend.linux.Linux;
import dev.gevent.backend.linux.LinuxSockets;
import dev.gevent.backend.linux.LinuxTransport;
import dev.gevent.backend.linux.SockAddr;
import dev.gevent.backend.linux.SocketCalls;
import dev.gevent.spi.Completion;
import dev.gevent.spi.SocketHandle;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.util.Objects;

/**
 * The socket operations of an {@link EpollEventLoop}, on raw non-blocking descriptors. Each
 * operation first makes its system call; only if that fails with EAGAIN does it park in its
 * direction's slot, and {@link #resume} retries it when epoll reports the socket ready. A retry that
 * still would block (a stale or spurious report) leaves the operation pending: the edge-triggered
 * registration reports the next change of the socket's state.
 *
 * <p>Heap buffers go through the loop's bounce buffer, at most {@link Scratch#BOUNCE_SIZE} bytes a
 * call (a stream read or write may transfer less than asked, as the contract allows); direct
 * buffers are used in place.
 */
final class EpollTransport extends LinuxTransport<EpollSocket> {
    /** What the *Once helpers return when the call would block. */
    private static final long WOULD_BLOCK = Long.MIN_VALUE + 1;

    private final EpollEventLoop loop;
    private final LibC libc = Native.LIBC;
    private final Scratch scratch;
    private final SocketCalls calls;

    EpollTransport(EpollEventLoop loop, Scratch scratch, LinuxSockets sockets) {
        super(sockets);
        this.loop = loop;
        this.scratch = scratch;
        this.calls = sockets.calls;
    }

    @Override
    protected void ensureLoopOpen() {
        loop.ensureOpen();
    }

    /** Registers a new descriptor with the loop; closes it if that fails. */
    @Override
    protected EpollSocket track(int fd, Kind kind, int family, boolean bound) throws IOException {
        try {
            EpollSocket socket = loop.register(fd, kind, family, this);
            socket.bound = bound;
            return socket;
        } catch (IOException | RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    @Override
    public SocketHandle accept(SocketHandle listener, Completion completion) throws IOException {
        EpollSocket socket = usable(listener, completion, Kind.LISTENER, Op.ACCEPT.label);
        socket.input.requireIdle(Op.ACCEPT);
        SocketHandle accepted = acceptOnce(socket);
        if (accepted != null) {
            return accepted;
        }
        loop.park(socket.input, Op.ACCEPT, completion, null, null);
        return null;
    }

    @Override
    public long connect(SocketHandle handle, SocketAddress remote, Completion completion) throws IOException {
        EpollSocket socket = usable(handle, completion, Kind.STREAM, Op.CONNECT.label);
        socket.output.requireIdle(Op.CONNECT);
        int length = SockAddr.encode(remote, socket.family, scratch.address);
        int rc;
        do {
            rc = libc.connect(socket.fd, scratch.addressPointer, length);
        } while (rc < 0 && Native.errno() == Linux.EINTR);
        if (rc == 0) {
            socket.bound = true;
            return 0;
        }
        int errno = Native.errno();
        switch (errno) {
            case Linux.EINPROGRESS -> {
                socket.bound = true;
                loop.park(socket.output, Op.CONNECT, completion, null, null);
                return PENDING;
            }
            case Linux.EISCONN -> throw new AlreadyConnectedException();
            case Linux.EALREADY -> throw new ConnectionPendingException();
            default -> throw calls.socketError(errno);
        }
    }

    @Override
    public long read(SocketHandle handle, ByteBuffer dst, Completion completion) throws IOException {
        EpollSocket socket = usable(handle, completion, Kind.STREAM, Op.READ.label);
        socket.input.requireIdle(Op.READ);
        BufferArguments.requireRemaining(dst, Op.READ.label, true);
        BufferArguments.requireWritable(dst);
        if (!socket.drained || socket.hungUp) {
            long n = readOnce(socket, dst);
            if (n != WOULD_BLOCK) {
                return n;
            }
        }
        loop.park(socket.input, Op.READ, completion, dst, null);
        return PENDING;
    }

    @Override
    public long write(SocketHandle handle, ByteBuffer src, Completion completion) throws IOException {
        EpollSocket socket = usable(handle, completion, Kind.STREAM, Op.WRITE.label);
        socket.output.requireIdle(Op.WRITE);
        BufferArguments.requireRemaining(src, Op.WRITE.label, false);
        long n = writeOnce(socket, src);
        if (n != WOULD_BLOCK) {
            return n;
        }
        loop.park(socket.output, Op.WRITE, completion, src, null);
        return PENDING;
    }

    @Override
    public long sendTo(SocketHandle handle, ByteBuffer src, SocketAddress target, Completion completion)
            throws IOException {
        EpollSocket socket = usable(handle, completion, Kind.DATAGRAM, Op.SEND.label);
        socket.output.requireIdle(Op.SEND);
        Objects.requireNonNull(target, "target");
        long n = sendOnce(socket, src, target);
        if (n != WOULD_BLOCK) {
            return n;
        }
        loop.park(socket.output, Op.SEND, completion, src, target);
        return PENDING;
    }

    @Override
    public SocketAddress receiveFrom(SocketHandle handle, ByteBuffer dst, Completion completion) throws IOException {
        EpollSocket socket = usable(handle, completion, Kind.DATAGRAM, Op.RECEIVE.label);
        socket.input.requireIdle(Op.RECEIVE);
        BufferArguments.requireWritable(dst);
        SocketAddress sender = receiveOnce(socket, dst);
        if (sender != null) {
            return sender;
        }
        loop.park(socket.input, Op.RECEIVE, completion, dst, null);
        return null;
    }

    @Override
    public boolean cancel(SocketHandle handle, Completion completion) {
        EpollSocket socket = socketOf(handle);
        Objects.requireNonNull(completion, "completion");
        // One completion pending in both directions at once is ambiguous: the input one goes first.
        Slot slot = socket.input.completion == completion ? socket.input
                : socket.output.completion == completion ? socket.output
                : null;
        if (slot == null) {
            return false;
        }
        loop.withdraw(slot);
        return true;
    }

    @Override
    public void shutdown(SocketHandle handle, boolean input, boolean output) throws IOException {
        sockets.shutdown(open(handle), input, output);
    }

    /**
     * Closes a socket for {@link EpollEventLoop#close()}, failing its pending operations.
     *
     * @return what went wrong (the close or a completion), or null
     */
    Throwable release(EpollSocket socket) {
        return Failures.merge(closeDescriptor(socket), loop.abort(socket));
    }

    @Override
    protected Throwable failPending(EpollSocket socket) {
        return loop.abort(socket);
    }

    /**
     * Closes the descriptor, which also drops it from the epoll set and frees its port at once.
     *
     * @return the failure of close(2), or null; EINTR still closed the descriptor on Linux
     */
    @Override
    protected IOException closeDescriptor(EpollSocket socket) {
        socket.markClosed();
        loop.forget(socket);
        return sockets.close(socket);
    }

    /**
     * Retries the operation pending in {@code slot} now that its socket is ready, and completes it
     * unless it would still block.
     *
     * @return what the completion threw, or null
     */
    Throwable resume(EpollSocket socket, Slot slot) {
        long result = 0;
        Object value = null;
        try {
            switch (slot.op) {
                case ACCEPT -> {
                    value = acceptOnce(socket);
                    if (value == null) {
                        return null;
                    }
                }
                case READ -> {
                    result = readOnce(socket, slot.buffer);
                    if (result == WOULD_BLOCK) {
                        return null;
                    }
                }
                case RECEIVE -> {
                    int before = slot.buffer.position();
                    value = receiveOnce(socket, slot.buffer);
                    if (value == null) {
                        return null;
                    }
                    result = slot.buffer.position() - before;
                }
                case CONNECT -> {
                    if (!connectFinished(socket)) {
                        return null;
                    }
                }
                case WRITE -> {
                    result = writeOnce(socket, slot.buffer);
                    if (result == WOULD_BLOCK) {
                        return null;
                    }
                }
                case SEND -> {
                    result = sendOnce(socket, slot.buffer, slot.target);
                    if (result == WOULD_BLOCK) {
                        return null;
                    }
                }
            }
        } catch (IOException e) {
            return loop.fail(slot, e);
        } catch (RuntimeException e) {
            // Failing the operation rather than the loop keeps the slot from retrying forever.
            return loop.fail(slot, new IOException(slot.op.label + " failed", e));
        }
        return loop.complete(slot, result, value);
    }

    /** @return the accepted socket, or null if none is waiting */
    private SocketHandle acceptOnce(EpollSocket listener) throws IOException {
        for (;;) {
            int fd = libc.accept4(listener.fd, 0, 0, Linux.SOCK_NONBLOCK | Linux.SOCK_CLOEXEC);
            if (fd >= 0) {
                return track(fd, Kind.STREAM, listener.family, true);
            }
            int errno = Native.errno();
            switch (errno) {
                case Linux.EAGAIN -> {
                    return null;
                }
                // A client that gave up before being accepted is not the listener's failure.
                case Linux.EINTR, Linux.ECONNABORTED -> { }
                default -> throw calls.socketError(errno);
            }
        }
    }

    /**
     * A connect in progress has ended when SO_ERROR holds its failure or the socket has a peer; the
     * registration reports the fresh socket's hang-up state before the connect starts, so a report
     * alone does not prove that the connect ended.
     */
    private boolean connectFinished(EpollSocket socket) throws IOException {
        scratch.length.putInt(0, Integer.BYTES);
        if (libc.getsockopt(socket.fd, Linux.SOL_SOCKET, Linux.SO_ERROR, scratch.optionPointer, scratch.lengthPointer) < 0) {
            throw calls.socketError(Native.errno());
        }
        int error = scratch.option.getInt(0);
        if (error != 0) {
            throw calls.socketError(error);
        }
        scratch.length.putInt(0, Linux.SOCKADDR_STORAGE);
        if (libc.getpeername(socket.fd, scratch.addressPointer, scratch.lengthPointer) == 0) {
            return true;
        }
        int errno = Native.errno();
        if (errno == Linux.ENOTCONN) {
            return false;
        }
        throw calls.socketError(errno);
    }

    /** @return bytes read, -1 at end of stream, or {@link #WOULD_BLOCK} */
    private long readOnce(EpollSocket socket, ByteBuffer dst) throws IOException {
        int position = dst.position();
        int wanted = dst.remaining();
        boolean direct = dst.isDirect();
        if (!direct) {
            wanted = Math.min(wanted, Scratch.BOUNCE_SIZE);
        }
        long address = direct ? Native.positionAddress(dst) : scratch.bouncePointer;
        long n;
        do {
            n = libc.recv(socket.fd, address, wanted, 0);
        } while (n < 0 && Native.errno() == Linux.EINTR);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Linux.EAGAIN) {
                socket.drained = true;
                return WOULD_BLOCK;
            }
            throw calls.streamError(errno);
        }
        if (n == 0) {
            return -1;
        }
        if (!direct) {
            dst.put(position, scratch.bounce, 0, (int) n);
        }
        dst.position(position + (int) n);
        socket.drained = n < wanted;
        return n;
    }

    /** @return bytes written (at least 1), or {@link #WOULD_BLOCK} */
    private long writeOnce(EpollSocket socket, ByteBuffer src) throws IOException {
        int position = src.position();
        int length = src.remaining();
        long address;
        if (src.isDirect()) {
            address = Native.positionAddress(src);
        } else {
            length = Math.min(length, Scratch.BOUNCE_SIZE);
            scratch.bounce.put(0, src, position, length);
            address = scratch.bouncePointer;
        }
        long n;
        do {
            n = libc.send(socket.fd, address, length, Linux.MSG_NOSIGNAL);
        } while (n < 0 && Native.errno() == Linux.EINTR);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Linux.EAGAIN) {
                return WOULD_BLOCK;
            }
            throw calls.streamError(errno);
        }
        src.position(position + (int) n);
        return n;
    }

    /** @return bytes sent, or {@link #WOULD_BLOCK} */
    private long sendOnce(EpollSocket socket, ByteBuffer src, SocketAddress target) throws IOException {
        int position = src.position();
        int length = src.remaining();
        long address;
        if (src.isDirect()) {
            address = Native.positionAddress(src);
        } else {
            if (length > Scratch.BOUNCE_SIZE) {
                // Larger than any UDP payload: the kernel would refuse it the same way.
                throw calls.socketError(Linux.EMSGSIZE);
            }
            scratch.bounce.put(0, src, position, length);
            address = scratch.bouncePointer;
        }
        long message = scratch.message(address, length, SockAddr.encode(target, socket.family, scratch.address));
        long n;
        do {
            n = libc.sendmsg(socket.fd, message, Linux.MSG_NOSIGNAL);
        } while (n < 0 && Native.errno() == Linux.EINTR);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Linux.EAGAIN) {
                return WOULD_BLOCK;
            }
            throw calls.socketError(errno);
        }
        src.position(position + (int) n);
        return n;
    }

    /**
     * Receives one datagram; recvmsg(2) without MSG_TRUNC drops what does not fit, as
     * {@code DatagramChannel.receive} does.
     *
     * @return the sender, or null if no datagram is waiting
     */
    private SocketAddress receiveOnce(EpollSocket socket, ByteBuffer dst) throws IOException {
        int position = dst.position();
        int wanted = dst.remaining();
        boolean direct = dst.isDirect();
        if (!direct) {
            wanted = Math.min(wanted, Scratch.BOUNCE_SIZE);
        }
        long address = direct ? Native.positionAddress(dst) : scratch.bouncePointer;
        long n;
        do {
            n = libc.recvmsg(socket.fd, scratch.message(address, wanted, Linux.SOCKADDR_STORAGE), 0);
        } while (n < 0 && Native.errno() == Linux.EINTR);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Linux.EAGAIN) {
                return null;
            }
            throw calls.socketError(errno);
        }
        if (!direct) {
            dst.put(position, scratch.bounce, 0, (int) n);
        }
        dst.position(position + (int) n);
        return SockAddr.decode(scratch.address, scratch.messageAddressLength());
    }

    @Override
    protected EpollSocket socketOf(SocketHandle handle) {
        if (handle instanceof EpollSocket socket && socket.owner == this) {
            return socket;
        }
        throw new IllegalArgumentException("not a socket of this event loop: " + handle);
    }
}
