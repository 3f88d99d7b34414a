package dev.gevent.backend.iouring;

import dev.gevent.spi.Completion;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.util.Objects;

/**
 * The socket operations of an {@link IoUringEventLoop}. Accept, connect, read, write, sendTo and
 * receiveFrom are io_uring operations (ACCEPT, CONNECT, RECV, SEND with MSG_NOSIGNAL, SENDMSG,
 * RECVMSG) queued in the ring and completed from {@link IoUringEventLoop#poll}; socket creation,
 * options, addresses, shutdown and close are direct system calls, which complete at once as the
 * contract wants them to.
 *
 * <p><b>Reads through the ring, writes tried first.</b> A read is always queued ({@link #PENDING}): a
 * direct non-blocking recv(2) would cost a system call of its own and, in request/response traffic,
 * mostly find the socket empty; queued, it rides on the iteration's one io_uring_enter, shared by
 * every socket, and the kernel still tries it at once when it is submitted. A stream write is the
 * other way round: a socket's send buffer almost always has room, so send(2) with MSG_DONTWAIT
 * completes it at once, and the greenlet goes on without parking; only a write that finds the buffer
 * full (EAGAIN) goes through the ring. Through the ring, every write would cost its greenlet a park
 * and a resume through the hub and wait for the next io_uring_enter: measured on the echo benchmark
 * (BENCHMARKS.md, "Echo on io_uring"), that round trip costs more than the system call it saves.
 *
 * <p>Heap buffers go through a pooled direct buffer that the operation owns until its CQE, at most
 * {@link BufferPool#MAX} bytes a call (a stream read or write may transfer less than asked);
 * direct buffers are used in place and copied nowhere. A heap read is copied back only when it
 * completes.
 */
final class IoUringTransport implements Transport {
    private final IoUringEventLoop loop;
    private final LibC libc;
    private final Scratch scratch;

    IoUringTransport(IoUringEventLoop loop, Scratch scratch) {
        this.loop = loop;
        this.libc = scratch.libc;
        this.scratch = scratch;
    }

    @Override
    public SocketHandle listen(SocketAddress local, int backlog, boolean reusePort) throws IOException {
        loop.ensureOpen();
        int family = SockAddr.family(local);
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
            if (libc.listen(fd, backlog > 0 ? backlog : Linux.SOMAXCONN) < 0) {
                throw Errno.socket(libc.errno());
            }
            return track(fd, Kind.LISTENER, family, true);
        } catch (IOException | RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    @Override
    public SocketHandle openStream(SocketAddress remote) throws IOException {
        loop.ensureOpen();
        int family = SockAddr.family(remote);
        return track(open(family, Linux.SOCK_STREAM), Kind.STREAM, family, false);
    }

    @Override
    public SocketHandle openDatagram(SocketAddress local) throws IOException {
        loop.ensureOpen();
        int family = SockAddr.family(local);
        if (family == Linux.AF_UNIX) {
            // As DatagramChannel.open(StandardProtocolFamily.UNIX).
            throw new UnsupportedOperationException("Protocol family not supported");
        }
        int fd = open(family, Linux.SOCK_DGRAM);
        try {
            bind(fd, local, family);
            return track(fd, Kind.DATAGRAM, family, true);
        } catch (IOException | RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    /** @return a new close-on-exec socket, blocking (see {@link IoUringSocket}) */
    private int open(int family, int type) throws IOException {
        int fd = libc.socket(family, type | Linux.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.socket(libc.errno());
        }
        return fd;
    }

    private void bind(int fd, SocketAddress local, int family) throws IOException {
        int length = SockAddr.encode(local, family, scratch.address);
        if (libc.bind(fd, scratch.addressPointer, length) < 0) {
            throw Errno.socket(libc.errno());
        }
    }

    private void setFlag(int fd, int name) throws IOException {
        scratch.option.putInt(0, 1);
        if (libc.setsockopt(fd, Linux.SOL_SOCKET, name, scratch.optionPointer, Integer.BYTES) < 0) {
            throw Errno.socket(libc.errno());
        }
    }

    private IoUringSocket track(int fd, Kind kind, int family, boolean bound) {
        IoUringSocket socket = loop.register(fd, kind, family, this);
        socket.bound = bound;
        return socket;
    }

    @Override
    public SocketHandle accept(SocketHandle listener, Completion completion) throws IOException {
        IoUringSocket socket = usable(listener, completion, Kind.LISTENER, Op.ACCEPT);
        Slot slot = socket.input;
        slot.requireIdle(Op.ACCEPT);
        if (slot.stashed) {
            int fd = slot.stashedResult;
            slot.unstash();
            return accepted(socket, fd);
        }
        slot.arm(Op.ACCEPT, completion, null, null);
        submitAccept(socket, false);
        return null;
    }

    private void submitAccept(IoUringSocket socket, boolean again) {
        if (again) {
            loop.resubmit(socket, socket.input, Linux.OP_ACCEPT, 0, 0, 0, Linux.SOCK_CLOEXEC);
        } else {
            loop.submit(socket, socket.input, Linux.OP_ACCEPT, 0, 0, 0, Linux.SOCK_CLOEXEC);
        }
    }

    private SocketHandle accepted(IoUringSocket listener, int fd) {
        IoUringSocket socket = track(fd, Kind.STREAM, listener.family, true);
        socket.connected = true;
        return socket;
    }

    @Override
    public long connect(SocketHandle handle, SocketAddress remote, Completion completion) throws IOException {
        IoUringSocket socket = usable(handle, completion, Kind.STREAM, Op.CONNECT);
        Slot slot = socket.output;
        slot.requireIdle(Op.CONNECT);
        if (socket.connected) {
            throw new AlreadyConnectedException();
        }
        long area = slot.message();
        int length = SockAddr.encode(remote, socket.family, Msg.address(slot.message));
        slot.arm(Op.CONNECT, completion, null, null);
        slot.addressLength = length;
        socket.bound = true;
        loop.submit(socket, slot, Linux.OP_CONNECT, area + Msg.ADDRESS, 0, length, 0);
        return PENDING;
    }

    @Override
    public long read(SocketHandle handle, ByteBuffer dst, Completion completion) throws IOException {
        IoUringSocket socket = usable(handle, completion, Kind.STREAM, Op.READ);
        Slot slot = socket.input;
        slot.requireIdle(Op.READ);
        requireRemaining(dst, Op.READ);
        requireWritable(dst);
        if (slot.stashed) {
            return readStashed(slot, dst);
        }
        slot.arm(Op.READ, completion, dst, dst.isDirect() ? null : loop.buffers.take(dst.remaining()));
        loop.submit(socket, slot, Linux.OP_RECV, slot.kernelAddress(), slot.kernelLength(), 0, 0);
        return PENDING;
    }

    private static long readStashed(Slot slot, ByteBuffer dst) throws IOException {
        int result = slot.stashedResult;
        if (result < 0) {
            slot.unstash();
            throw Errno.stream(-result);
        }
        if (result == 0) {
            slot.unstash();
            return -1;
        }
        int n = Math.min(dst.remaining(), result - slot.stashedOffset);
        dst.put(slot.stashedBytes, slot.stashedOffset, n);
        slot.stashedOffset += n;
        if (slot.stashedOffset == result) {
            slot.unstash();
        }
        return n;
    }

    @Override
    public long write(SocketHandle handle, ByteBuffer src, Completion completion) throws IOException {
        IoUringSocket socket = usable(handle, completion, Kind.STREAM, Op.WRITE);
        Slot slot = socket.output;
        slot.requireIdle(Op.WRITE);
        requireRemaining(src, Op.WRITE);
        long sent = sendNow(socket, src);
        if (sent > 0) {
            return sent;
        }
        slot.arm(Op.WRITE, completion, src, src.isDirect() ? null : loop.buffers.take(src.remaining()));
        int length = slot.kernelLength();
        if (slot.bounce != null) {
            slot.bounce.put(0, src, src.position(), length);
        }
        loop.submit(socket, slot, Linux.OP_SEND, slot.kernelAddress(), length, 0, Linux.MSG_NOSIGNAL);
        return PENDING;
    }

    @Override
    public long sendTo(SocketHandle handle, ByteBuffer src, SocketAddress target, Completion completion)
            throws IOException {
        IoUringSocket socket = usable(handle, completion, Kind.DATAGRAM, Op.SEND);
        Slot slot = socket.output;
        slot.requireIdle(Op.SEND);
        Objects.requireNonNull(target, "target");
        long area = slot.message();
        int addressLength = SockAddr.encode(target, socket.family, Msg.address(slot.message));
        int length = src.remaining();
        long address;
        ByteBuffer bounce = null;
        if (src.isDirect()) {
            address = Scratch.address(src, src.position());
        } else {
            if (length > BufferPool.MAX) {
                // Larger than any UDP payload: the kernel would refuse it the same way.
                throw Errno.socket(Linux.EMSGSIZE);
            }
            bounce = loop.buffers.take(length);
            bounce.put(0, src, src.position(), length);
            address = Scratch.address(bounce);
        }
        Msg.fill(slot.message, area, address, length, addressLength);
        slot.arm(Op.SEND, completion, src, bounce);
        loop.submit(socket, slot, Linux.OP_SENDMSG, area, 1, 0, Linux.MSG_NOSIGNAL);
        return PENDING;
    }

    @Override
    public SocketAddress receiveFrom(SocketHandle handle, ByteBuffer dst, Completion completion) throws IOException {
        IoUringSocket socket = usable(handle, completion, Kind.DATAGRAM, Op.RECEIVE);
        Slot slot = socket.input;
        slot.requireIdle(Op.RECEIVE);
        requireWritable(dst);
        if (slot.stashed) {
            return receiveStashed(slot, dst);
        }
        long area = slot.message();
        slot.arm(Op.RECEIVE, completion, dst, dst.isDirect() ? null : loop.buffers.take(dst.remaining()));
        Msg.fill(slot.message, area, slot.kernelAddress(), slot.kernelLength(), Linux.SOCKADDR_STORAGE);
        loop.submit(socket, slot, Linux.OP_RECVMSG, area, 1, 0, 0);
        return null;
    }

    private static SocketAddress receiveStashed(Slot slot, ByteBuffer dst) throws IOException {
        int result = slot.stashedResult;
        SocketAddress sender = slot.stashedSender;
        byte[] bytes = slot.stashedBytes;
        slot.unstash();
        if (result < 0) {
            throw Errno.socket(-result);
        }
        // What does not fit is discarded, as for any datagram.
        dst.put(bytes, 0, Math.min(result, dst.remaining()));
        return sender;
    }

    @Override
    public boolean cancel(SocketHandle handle, Completion completion) {
        IoUringSocket socket = uring(handle);
        Objects.requireNonNull(completion, "completion");
        // One completion pending in both directions at once is ambiguous: the input one goes first.
        Slot slot = socket.input.completion == completion ? socket.input
                : socket.output.completion == completion ? socket.output
                : null;
        if (slot == null) {
            return false;
        }
        keep(socket, slot, loop.cancelInKernel(slot));
        loop.withdrawn(slot);
        return true;
    }

    /**
     * Keeps what an operation did although it was being cancelled, so that nothing the kernel
     * handed over is lost: bytes, an end of stream, an error, a datagram or a connection wait in
     * the input slot for the next operation; bytes written move the buffer's position, as a write
     * that completed does; a connect that succeeded leaves the socket connected.
     */
    private void keep(IoUringSocket socket, Slot slot, int result) {
        if (result == -Linux.ECANCELED || result == -Linux.EINTR || result == -Linux.EAGAIN) {
            return;
        }
        switch (slot.op) {
            case READ, RECEIVE -> {
                slot.stashed = true;
                slot.stashedResult = result;
                slot.stashedOffset = 0;
                if (result > 0) {
                    slot.stashedBytes = new byte[result];
                    ByteBuffer landed = slot.bounce != null ? slot.bounce : slot.buffer;
                    landed.get(slot.bounce != null ? 0 : slot.position, slot.stashedBytes);
                }
                if (slot.op == Op.RECEIVE && result >= 0) {
                    try {
                        slot.stashedSender = SockAddr.decode(Msg.address(slot.message), Msg.addressLength(slot.message));
                    } catch (IOException e) {
                        slot.stashedResult = -Linux.EINVAL;
                    }
                }
            }
            case ACCEPT -> {
                if (result >= 0) {
                    slot.stashed = true;
                    slot.stashedResult = result;
                }
            }
            case CONNECT -> socket.connected = result == 0;
            case WRITE, SEND -> {
                if (result > 0) {
                    slot.buffer.position(slot.position + result);
                }
            }
        }
    }

    @Override
    public void shutdown(SocketHandle handle, boolean input, boolean output) throws IOException {
        IoUringSocket socket = open(handle);
        socket.require(Kind.STREAM, "shutdown");
        if (input) {
            shutdownDirection(socket, Linux.SHUT_RD);
        }
        if (output) {
            shutdownDirection(socket, Linux.SHUT_WR);
        }
    }

    private void shutdownDirection(IoUringSocket socket, int how) throws IOException {
        if (libc.shutdown(socket.fd, how) < 0) {
            int errno = libc.errno();
            if (errno == Linux.ENOTCONN) {
                // A peer that already reset the connection leaves nothing to shut down; the JDK says
                // so only for a socket that never connected.
                if (!socket.bound) {
                    throw new NotYetConnectedException();
                }
                return;
            }
            throw Errno.socket(errno);
        }
    }

    /**
     * Cancels what is pending in the kernel and waits until the kernel is done with it, closes the
     * descriptor, then fails the pending operations. A connected socket's close sends FIN first
     * (only a reset under SO_LINGER 0), as the JDK's does.
     */
    @Override
    public void close(SocketHandle handle) throws IOException {
        IoUringSocket socket = uring(handle);
        if (!socket.isOpen()) {
            return;
        }
        IOException closeError = closeDescriptor(socket);
        Throwable thrown = loop.abort(socket);
        if (thrown != null && closeError != null) {
            thrown.addSuppressed(closeError);
        }
        Failures.rethrow(thrown);
        if (closeError != null) {
            throw closeError;
        }
    }

    /**
     * Closes a socket for {@link IoUringEventLoop#close()}, failing its pending operations.
     *
     * @return what went wrong (the close or a completion), or null
     */
    Throwable release(IoUringSocket socket) {
        return Failures.merge(closeDescriptor(socket), loop.abort(socket));
    }

    /** @return the failure of close(2), or null; EINTR still closed the descriptor on Linux */
    private IOException closeDescriptor(IoUringSocket socket) {
        socket.markClosed();
        Slot input = socket.input;
        if (input.busy()) {
            int result = loop.cancelInKernel(input);
            if (input.op == Op.ACCEPT && result >= 0) {
                // accepted while being cancelled: nobody will ever get it
                libc.close(result);
            }
        }
        if (socket.output.busy()) {
            loop.cancelInKernel(socket.output);
        }
        if (input.stashed && input.stashedResult >= 0 && socket.kind == Kind.LISTENER) {
            libc.close(input.stashedResult);
        }
        input.unstash();
        loop.forget(socket);
        if (socket.kind == Kind.STREAM && socket.bound && socket.linger != 0) {
            finishGracefully(socket);
        }
        if (libc.close(socket.fd) < 0) {
            int errno = libc.errno();
            if (errno != Linux.EINTR) {
                return Errno.socket(errno);
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
    private void finishGracefully(IoUringSocket socket) {
        if (socket.linger > 0) {
            scratch.option.putInt(0, 0).putInt(4, 0);
            libc.setsockopt(socket.fd, Linux.SOL_SOCKET, Linux.SO_LINGER, scratch.optionPointer, 2 * Integer.BYTES);
        }
        libc.shutdown(socket.fd, Linux.SHUT_WR);
    }

    @Override
    public <T> void setOption(SocketHandle handle, SocketOption<T> option, T value) throws IOException {
        SocketOptions.set(open(handle), Objects.requireNonNull(option, "option"), value, scratch);
    }

    @Override
    public <T> T getOption(SocketHandle handle, SocketOption<T> option) throws IOException {
        return SocketOptions.get(open(handle), Objects.requireNonNull(option, "option"), scratch);
    }

    @Override
    public SocketAddress localAddress(SocketHandle handle) throws IOException {
        IoUringSocket socket = open(handle);
        if (!socket.bound) {
            return null;
        }
        scratch.length.putInt(0, Linux.SOCKADDR_STORAGE);
        if (libc.getsockname(socket.fd, scratch.addressPointer, scratch.lengthPointer) < 0) {
            throw Errno.socket(libc.errno());
        }
        return SockAddr.decode(scratch.address, scratch.length.getInt(0));
    }

    @Override
    public SocketAddress remoteAddress(SocketHandle handle) throws IOException {
        IoUringSocket socket = open(handle);
        if (socket.kind != Kind.STREAM) {
            return null;
        }
        scratch.length.putInt(0, Linux.SOCKADDR_STORAGE);
        if (libc.getpeername(socket.fd, scratch.addressPointer, scratch.lengthPointer) < 0) {
            int errno = libc.errno();
            if (errno == Linux.ENOTCONN) {
                return null;
            }
            throw Errno.socket(errno);
        }
        return SockAddr.decode(scratch.address, scratch.length.getInt(0));
    }

    /**
     * Completes the operation in {@code slot} with its CQE's result, or queues it again when the
     * result only means "try again".
     *
     * @return what the completion threw, or null
     */
    Throwable finish(IoUringSocket socket, Slot slot, int result) {
        if (result == -Linux.EINTR || result == -Linux.EAGAIN
                || (slot.op == Op.ACCEPT && result == -Linux.ECONNABORTED)) {
            // A client that gave up before being accepted is not the listener's failure.
            retry(socket, slot);
            return null;
        }
        try {
            return switch (slot.op) {
                case ACCEPT -> result < 0 ? loop.fail(slot, Errno.socket(-result))
                        : loop.complete(slot, 0, accepted(socket, result));
                case CONNECT -> {
                    if (result < 0) {
                        yield loop.fail(slot, Errno.socket(-result));
                    }
                    socket.connected = true;
                    yield loop.complete(slot, 0, null);
                }
                case READ -> {
                    if (result < 0) {
                        yield loop.fail(slot, Errno.stream(-result));
                    }
                    if (result == 0) {
                        yield loop.complete(slot, -1, null);
                    }
                    landed(slot, result);
                    yield loop.complete(slot, result, null);
                }
                case RECEIVE -> {
                    if (result < 0) {
                        yield loop.fail(slot, Errno.socket(-result));
                    }
                    landed(slot, result);
                    SocketAddress sender = SockAddr.decode(Msg.address(slot.message), Msg.addressLength(slot.message));
                    yield loop.complete(slot, result, sender);
                }
                case WRITE -> {
                    if (result < 0) {
                        yield loop.fail(slot, Errno.stream(-result));
                    }
                    slot.buffer.position(slot.position + result);
                    yield loop.complete(slot, result, null);
                }
                case SEND -> {
                    if (result < 0) {
                        yield loop.fail(slot, Errno.socket(-result));
                    }
                    slot.buffer.position(slot.position + result);
                    yield loop.complete(slot, result, null);
                }
            };
        } catch (IOException e) {
            return loop.fail(slot, e);
        }
    }

    /** Copies what the kernel read into a bounce buffer back into the caller's, and moves its position. */
    private static void landed(Slot slot, int n) {
        if (slot.bounce != null) {
            slot.buffer.put(slot.position, slot.bounce, 0, n);
        }
        slot.buffer.position(slot.position + n);
    }

    /**
     * Tries a stream write at once: send(2) with MSG_DONTWAIT, from the caller's direct buffer or
     * through a pooled one.
     *
     * @return the bytes sent (the buffer's position moved past them), or 0 if the send buffer is
     *     full or the call was interrupted: then the write goes through the ring
     * @throws IOException what the connection failed with
     */
    private long sendNow(IoUringSocket socket, ByteBuffer src) throws IOException {
        int position = src.position();
        ByteBuffer bounce = src.isDirect() ? null : loop.buffers.take(src.remaining());
        try {
            long address;
            int length;
            if (bounce == null) {
                address = Scratch.address(src, position);
                length = src.remaining();
            } else {
                length = Math.min(src.remaining(), bounce.capacity());
                bounce.put(0, src, position, length);
                address = Scratch.address(bounce);
            }
            long n = libc.send(socket.fd, address, length, Linux.MSG_NOSIGNAL | Linux.MSG_DONTWAIT);
            if (n > 0) {
                src.position(position + (int) n);
                return n;
            }
            int errno = n < 0 ? libc.errno() : Linux.EAGAIN;
            if (errno == Linux.EAGAIN || errno == Linux.EINTR) {
                return 0;
            }
            throw Errno.stream(errno);
        } finally {
            if (bounce != null) {
                loop.buffers.give(bounce);
            }
        }
    }

    /** Queues the operation in {@code slot} again, as it was. */
    private void retry(IoUringSocket socket, Slot slot) {
        switch (slot.op) {
            case ACCEPT -> submitAccept(socket, true);
            case READ -> loop.resubmit(socket, slot, Linux.OP_RECV, slot.kernelAddress(), slot.kernelLength(), 0, 0);
            case WRITE -> loop.resubmit(socket, slot, Linux.OP_SEND, slot.kernelAddress(), slot.kernelLength(), 0,
                    Linux.MSG_NOSIGNAL);
            case RECEIVE -> loop.resubmit(socket, slot, Linux.OP_RECVMSG, slot.messagePointer, 1, 0, 0);
            case SEND -> loop.resubmit(socket, slot, Linux.OP_SENDMSG, slot.messagePointer, 1, 0, Linux.MSG_NOSIGNAL);
            case CONNECT -> loop.resubmit(socket, slot, Linux.OP_CONNECT, slot.messagePointer + Msg.ADDRESS, 0,
                    slot.addressLength, 0);
        }
    }

    /** @return the socket, open and of the kind the operation needs, with a completion to call when it ends */
    private IoUringSocket usable(SocketHandle handle, Completion completion, Kind kind, Op op)
            throws ClosedChannelException {
        Objects.requireNonNull(completion, "completion");
        IoUringSocket socket = open(handle);
        socket.require(kind, op.label);
        return socket;
    }

    private IoUringSocket open(SocketHandle handle) throws ClosedChannelException {
        IoUringSocket socket = uring(handle);
        if (!socket.isOpen()) {
            throw new ClosedChannelException();
        }
        return socket;
    }

    private IoUringSocket uring(SocketHandle handle) {
        if (handle instanceof IoUringSocket socket && socket.owner == this) {
            return socket;
        }
        throw new IllegalArgumentException("not a socket of this event loop: " + handle);
    }

    private static void requireRemaining(ByteBuffer buffer, Op op) {
        if (!buffer.hasRemaining()) {
            throw new IllegalArgumentException(op.label + " needs a buffer with at least one byte "
                    + (op == Op.READ ? "free" : "remaining"));
        }
    }

    private static void requireWritable(ByteBuffer buffer) {
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
    }
}
