package dev.gevent.backend.iouring;

import dev.gevent.backend.linux.BufferArguments;
import dev.gevent.backend.linux.Failures;
import dev.gevent.backend.linux.Kind;
import dev.gevent.backend.linux.Linux;
import dev.gevent.backend.linux.LinuxSockets;
import dev.gevent.backend.linux.LinuxTransport;
import dev.gevent.backend.linux.SockAddr;
import dev.gevent.spi.Completion;
import dev.gevent.spi.SocketHandle;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.util.Objects;

/**
 * The socket operations of an {@link IoUringEventLoop}. Accept, connect, read, write, sendTo and
 * receiveFrom are io_uring operations (ACCEPT, CONNECT, RECV, SEND with MSG_NOSIGNAL, SENDMSG,
 * RECVMSG) queued in the ring and completed from {@link IoUringEventLoop#poll}; socket creation,
 * options, addresses, shutdown and close are direct system calls, which complete at once as the
 * contract wants them to.
 *
 * <p><b>Reads through the ring.</b> A read never makes a system call of its own: a direct
 * non-blocking recv(2) would, and in request/response traffic it would mostly find the socket
 * empty. Where the loop has {@link ProvidedBuffers} (6.1 and later, by default), a stream's first
 * read starts a multishot RECV that stays in the kernel: it receives whatever arrives into a
 * provided buffer and posts a CQE for it, so later reads queue nothing and the kernel keeps the
 * socket's poll armed instead of arming it per read. Bytes no read waits for are kept in the
 * socket's {@link Inbound} for the next read, which returns them at once. The receive is stopped
 * (ASYNC_CANCEL) when {@link #INBOUND_MAX} buffers wait unread, so that a socket nobody reads holds
 * few of the loop's buffers and its peer meets the socket's receive window, as it would without
 * it; and when a CQE fills a whole buffer, because a bulk transfer is better read straight into the
 * caller's (larger) buffer. Otherwise (no provided buffers, bulk, or none left: ENOBUFS), a read is
 * a RECV into the caller's buffer queued for the iteration's one io_uring_enter; after a read that
 * emptied the socket, the next asks the kernel to wait for data before it tries ({@link
 * IoUringEventLoop#pollFirst}).
 *
 * <p><b>Accepts.</b> Where the loop is {@link IoUringEventLoop#multishot} (6.1 and later, by
 * default), a listener's first accept starts a multishot ACCEPT that stays in the kernel and posts
 * a CQE per connection, so a burst of connections is taken in one hub iteration rather than one
 * per connection; connections no accept waits for are kept in the listener's {@link Accepted} for
 * the next accept, which returns at once, and the ACCEPT is stopped when {@link #ACCEPTED_MAX}
 * wait. Otherwise each accept is an ACCEPT of its own.
 *
 * <p><b>Writes behind (opt-in, {@link #WRITE_BEHIND}).</b> A small stream write (at most {@link
 * #BEHIND_MAX} bytes from a direct buffer, or any heap buffer's first {@link BufferPool#MAX}) is
 * copied into the socket's outbound buffer and returns at once, written: the loop sends the
 * outbound bytes with one SEND (with MSG_DONTWAIT) in the next io_uring_enter, and writes until
 * then join that SEND. So a write costs neither a system call nor a park and resume of its
 * greenlet. The outbound buffer is an extension of the socket's send buffer, and behaves like it:
 * when the kernel takes only part of it (the send buffer is full), the rest is sent with a SEND
 * that waits for room, and further writes wait until it is gone; a send that fails fails every
 * later write with its error; shutting the output down sends FIN after the outbound bytes; a socket
 * closed with bytes still outbound keeps its descriptor until they are sent or the connection fails
 * (as the kernel keeps a closed socket's unsent data), unless SO_LINGER is 0, which resets the
 * connection and discards them, or the loop closes, which sends what the kernel takes at once. It
 * is off by default because gevent's {@code sendall} returns only when the kernel has the bytes;
 * behind, they reach the kernel when the hub next polls (as soon as the writing greenlet waits for
 * anything) or the socket is shut down or closed.
 *
 * <p><b>Writes at once.</b> Any other write (every write, by default) is first tried with send(2)
 * and MSG_DONTWAIT from the caller's buffer (a heap buffer through a pooled direct one), and goes
 * through the ring only when the send buffer is full: through the ring, every write would cost its
 * greenlet a park and a resume through the hub, which costs more than the system call it saves
 * (BENCHMARKS.md, "Echo on io_uring").
 *
 * <p>Heap buffers go through a pooled direct buffer that the operation owns until its CQE, at most
 * {@link BufferPool#MAX} bytes a call (a stream read or write may transfer less than asked);
 * direct buffers are used in place and copied nowhere. A heap read is copied back only when it
 * completes.
 */
final class IoUringTransport extends LinuxTransport<IoUringSocket> {
    /**
     * The largest write from a direct buffer that goes behind: above it, copying the bytes costs
     * more than the system call that a write from the caller's buffer makes.
     */
    static final int BEHIND_MAX = 4096;
    /** Provided buffers a socket may hold unread before its multishot receive is stopped. */
    static final int INBOUND_MAX = 4;
    /** Connections a listener may hold unclaimed before its multishot accept is stopped. */
    static final int ACCEPTED_MAX = 64;
    /** Whether small writes go behind: see the class comment and README ({@code gevent.io_uring.writeBehind}). */
    static final boolean WRITE_BEHIND = Boolean.getBoolean("gevent.io_uring.writeBehind");

    private final IoUringEventLoop loop;
    private final LibC libc;

    IoUringTransport(IoUringEventLoop loop, LibC libc, LinuxSockets sockets) {
        super(sockets);
        this.loop = loop;
        this.libc = libc;
    }

    @Override
    protected void ensureLoopOpen() {
        loop.ensureOpen();
    }

    @Override
    protected IoUringSocket track(int fd, Kind kind, int family, boolean bound) {
        IoUringSocket socket = loop.register(fd, kind, family, this);
        socket.bound = bound;
        return socket;
    }

    @Override
    public SocketHandle accept(SocketHandle listener, Completion completion) throws IOException {
        IoUringSocket socket = usable(listener, completion, Kind.LISTENER, Op.ACCEPT.label);
        Slot slot = socket.input;
        slot.requireIdle(Op.ACCEPT);
        if (socket.accepted != null && !socket.accepted.isEmpty()) {
            return accepted(socket, socket.accepted.take());
        }
        if (slot.stashed) {
            int fd = slot.stashedResult;
            slot.unstash();
            return accepted(socket, fd);
        }
        slot.arm(Op.ACCEPT, completion, null, null);
        if (socket.multishot.userData != 0 || loop.multishot) {
            // served by the listener's multishot accept, started now if it was not running
            loop.hold();
            if (socket.multishot.userData == 0) {
                loop.submitMultishotAccept(socket);
            }
        } else {
            submitAccept(socket, false);
        }
        return null;
    }

    /**
     * Takes a CQE of the listener's multishot accept: hands the connection to the accept that
     * waits, or keeps it for the next; ends the multishot accept when {@link #ACCEPTED_MAX}
     * connections wait unclaimed; and once it has ended, starts it again for an accept that waits.
     *
     * @return what the completion threw, or null
     */
    Throwable acceptedMultishot(IoUringSocket socket, int result, int flags) {
        Slot input = socket.input;
        Throwable failure = null;
        if (result >= 0) {
            if (servedByMultishot(input)) {
                failure = loop.complete(input, 0, accepted(socket, result));
            } else {
                if (socket.accepted == null) {
                    socket.accepted = new Accepted();
                }
                socket.accepted.add(result);
                if ((flags & IoUringAbi.CQE_F_MORE) != 0 && !socket.multishotStopping
                        && socket.accepted.size() >= ACCEPTED_MAX) {
                    loop.stopMultishot(socket);
                }
            }
        } else if (servedByMultishot(input) && result != -Linux.ECANCELED && result != -Linux.ECONNABORTED
                && result != -Linux.EINTR && result != -Linux.EAGAIN) {
            // EMFILE, say: the accept that waits fails with it, as a single accept would
            failure = loop.fail(input, libc.socketError(-result));
        }
        if ((flags & IoUringAbi.CQE_F_MORE) != 0) {
            return failure;
        }
        socket.multishot.userData = 0;
        socket.multishotStopping = false;
        if (servedByMultishot(input)) {
            loop.submitMultishotAccept(socket);
        }
        return failure;
    }

    private void submitAccept(IoUringSocket socket, boolean again) {
        if (again) {
            loop.resubmit(socket, socket.input, IoUringAbi.OP_ACCEPT, 0, 0, 0, Linux.SOCK_CLOEXEC);
        } else {
            loop.submit(socket, socket.input, IoUringAbi.OP_ACCEPT, 0, 0, 0, Linux.SOCK_CLOEXEC);
        }
    }

    private SocketHandle accepted(IoUringSocket listener, int fd) {
        IoUringSocket socket = track(fd, Kind.STREAM, listener.family, true);
        socket.connected = true;
        return socket;
    }

    @Override
    public long connect(SocketHandle handle, SocketAddress remote, Completion completion) throws IOException {
        IoUringSocket socket = usable(handle, completion, Kind.STREAM, Op.CONNECT.label);
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
        loop.submit(socket, slot, IoUringAbi.OP_CONNECT, area + Msg.ADDRESS, 0, length, 0);
        return PENDING;
    }

    @Override
    public long read(SocketHandle handle, ByteBuffer dst, Completion completion) throws IOException {
        IoUringSocket socket = usable(handle, completion, Kind.STREAM, Op.READ.label);
        Slot slot = socket.input;
        slot.requireIdle(Op.READ);
        BufferArguments.requireRemaining(dst, Op.READ.label, true);
        BufferArguments.requireWritable(dst);
        if (socket.inbound != null && !socket.inbound.isEmpty()) {
            return socket.inbound.take(dst, loop.provided);
        }
        if (slot.stashed) {
            return readStashed(slot, dst);
        }
        if (socket.multishot.userData != 0 || (loop.provided != null && !socket.bulk)) {
            // served by the socket's multishot receive, started now if it was not running
            slot.arm(Op.READ, completion, dst, null);
            loop.hold();
            if (socket.multishot.userData == 0) {
                loop.submitMultishotReceive(socket);
            }
            return PENDING;
        }
        slot.arm(Op.READ, completion, dst, dst.isDirect() ? null : loop.buffers.take(dst.remaining()));
        submitReceive(socket, false);
        return PENDING;
    }

    /**
     * Takes a CQE of the socket's multishot receive: hands its bytes to the read that waits, or
     * keeps them for the next; ends the receive when the socket's reader falls behind or the peer
     * sends in bulk; and once the receive has ended, serves a read that still waits in another way.
     *
     * @return what the completion threw, or null
     */
    Throwable received(IoUringSocket socket, int result, int flags) {
        Slot input = socket.input;
        ProvidedBuffers provided = loop.provided;
        boolean more = (flags & IoUringAbi.CQE_F_MORE) != 0;
        Throwable failure = null;
        if ((flags & IoUringAbi.CQE_F_BUFFER) != 0) {
            int bid = provided.filled(flags);
            socket.bulk = result == provided.size;
            if (servedByMultishot(input)) {
                int n = Math.min(result, input.buffer.remaining());
                provided.copy(bid, 0, input.buffer, n);
                if (n < result) {
                    inbound(socket).add(bid, n, result - n);
                } else {
                    provided.give(bid);
                }
                failure = loop.complete(input, n, null);
            } else {
                inbound(socket).add(bid, 0, result);
            }
            boolean behind = socket.inbound != null && socket.inbound.buffers() >= INBOUND_MAX;
            if (more && !socket.multishotStopping && (socket.bulk || behind)) {
                loop.stopMultishot(socket);
            }
        } else if (result == 0 || (result < 0 && result != -Linux.ENOBUFS && result != -Linux.ECANCELED)) {
            // the end of the stream or a failure, after the bytes before it
            input.stashed = true;
            input.stashedResult = result;
            input.stashedOffset = 0;
        }
        if (more) {
            return failure;
        }
        socket.multishot.userData = 0;
        socket.multishotStopping = false;
        if (!servedByMultishot(input)) {
            return failure;
        }
        if (input.stashed) {
            try {
                return Failures.merge(failure, loop.complete(input, readStashed(input, input.buffer), null));
            } catch (IOException e) {
                return Failures.merge(failure, loop.fail(input, e));
            }
        }
        if (result == -Linux.ENOBUFS || socket.bulk) {
            // no provided buffer left, or bulk: the read goes straight into the caller's buffer
            ByteBuffer dst = input.buffer;
            input.bounce = dst.isDirect() ? null : loop.buffers.take(dst.remaining());
            loop.resubmitHeld();
            submitReceive(socket, false);
        } else {
            loop.submitMultishotReceive(socket);
        }
        return failure;
    }

    /** @return whether a read or an accept waits in {@code input} for the socket's multishot operation */
    private static boolean servedByMultishot(Slot input) {
        return input.busy() && input.userData == 0;
    }

    private static Inbound inbound(IoUringSocket socket) {
        if (socket.inbound == null) {
            socket.inbound = new Inbound();
        }
        return socket.inbound;
    }

    private void submitReceive(IoUringSocket socket, boolean again) {
        Slot slot = socket.input;
        long sqe = again
                ? loop.resubmit(socket, slot, IoUringAbi.OP_RECV, slot.kernelAddress(), slot.kernelLength(), 0, 0)
                : loop.submit(socket, slot, IoUringAbi.OP_RECV, slot.kernelAddress(), slot.kernelLength(), 0, 0);
        if (socket.inputDrained) {
            loop.pollFirst(sqe);
        }
    }

    private long readStashed(Slot slot, ByteBuffer dst) throws IOException {
        int result = slot.stashedResult;
        if (result < 0) {
            slot.unstash();
            throw libc.streamError(-result);
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
        IoUringSocket socket = usable(handle, completion, Kind.STREAM, Op.WRITE.label);
        Slot slot = socket.output;
        slot.requireIdle(Op.WRITE);
        BufferArguments.requireRemaining(src, Op.WRITE.label, false);
        if (socket.writeErrno != 0) {
            throw libc.streamError(socket.writeErrno);
        }
        if (socket.outputShut) {
            throw libc.streamError(Linux.EPIPE);
        }
        long n = startWrite(socket, src);
        if (n != PENDING) {
            return n;
        }
        slot.arm(Op.WRITE, completion, src, null);
        if (socket.outbound == null) {
            sendQueued(socket, slot);
        } else {
            // waits in the loop until the outbound bytes are gone: see finishBehind
            loop.hold();
        }
        return PENDING;
    }

    /**
     * Writes behind, or at once from a large direct buffer, if the socket's outbound bytes allow it.
     *
     * @return the bytes written, or {@link #PENDING}: the write must wait (the outbound bytes are in
     *     flight or the buffer is full) or, with no outbound bytes, go through the ring
     */
    private long startWrite(IoUringSocket socket, ByteBuffer src) throws IOException {
        if (WRITE_BEHIND && (!src.isDirect() || src.remaining() <= BEHIND_MAX)) {
            int n = writeBehind(socket, src);
            return n > 0 ? n : PENDING;
        }
        if (socket.outbound != null) {
            return PENDING;
        }
        long sent = sendNow(socket, src);
        return sent > 0 ? sent : PENDING;
    }

    /** Queues the write in {@code slot} as a SEND that waits for room in the socket's send buffer. */
    private void sendQueued(IoUringSocket socket, Slot slot) {
        ByteBuffer src = slot.buffer;
        slot.bounce = src.isDirect() ? null : loop.buffers.take(src.remaining());
        int length = slot.kernelLength();
        if (slot.bounce != null) {
            slot.bounce.put(0, src, src.position(), length);
        }
        loop.submit(socket, slot, IoUringAbi.OP_SEND, slot.kernelAddress(), length, 0, Linux.MSG_NOSIGNAL);
    }

    /**
     * Copies what fits of {@code src} into the outbound buffer and has it sent: it joins the SEND
     * still in the SQ, or a new SEND with MSG_DONTWAIT is queued.
     *
     * @return the bytes taken, 0 if none can be now (a SEND of earlier bytes was submitted and has
     *     not completed, or waits for room)
     */
    private int writeBehind(IoUringSocket socket, ByteBuffer src) {
        Slot behind = socket.behind;
        boolean joining = behind.userData != 0;
        if (socket.outboundBlocked || (joining && !loop.unsubmitted(socket.outboundTicket))) {
            return 0;
        }
        ByteBuffer out = socket.outbound;
        if (out == null) {
            out = loop.buffers.take(src.remaining());
            socket.outbound = out;
            socket.outboundStart = 0;
            socket.outboundEnd = 0;
        }
        int n = Math.min(src.remaining(), out.capacity() - socket.outboundEnd);
        if (n == 0) {
            return 0;
        }
        int position = src.position();
        out.put(socket.outboundEnd, src, position, n);
        src.position(position + n);
        socket.outboundEnd += n;
        if (joining) {
            loop.resize(socket.outboundSqe, socket.outboundEnd - socket.outboundStart);
        } else {
            sendBehind(socket, Linux.MSG_DONTWAIT);
        }
        return n;
    }

    /** Queues the SEND of the outbound bytes, with {@code flags} besides MSG_NOSIGNAL. */
    private void sendBehind(IoUringSocket socket, int flags) {
        long address = NativeBuffers.address(socket.outbound) + socket.outboundStart;
        socket.outboundSqe = loop.submitBehind(socket, address, socket.outboundEnd - socket.outboundStart,
                Linux.MSG_NOSIGNAL | flags);
    }

    /**
     * Takes the result of a write-behind SEND: the bytes it sent are gone from the outbound buffer;
     * the rest, if any, is sent with a SEND that waits for room; once nothing is left, a deferred
     * shutdown or close is done and a write that waited starts. A failure is kept for later writes
     * and fails the one that waited.
     *
     * @return what a completion threw, or null
     */
    Throwable finishBehind(IoUringSocket socket, int result) {
        socket.behind.userData = 0;
        if (result >= 0) {
            socket.outboundStart += result;
        } else if (result != -Linux.EAGAIN && result != -Linux.EINTR) {
            socket.writeErrno = -result;
            dropOutbound(socket);
            if (socket.lingering) {
                return closeLingering(socket);
            }
            Slot waiting = socket.output;
            return waiting.busy() && waiting.userData == 0 ? loop.fail(waiting, libc.streamError(-result)) : null;
        }
        if (socket.outboundStart < socket.outboundEnd) {
            socket.outboundBlocked = true;
            sendBehind(socket, 0);
            return null;
        }
        dropOutbound(socket);
        if (socket.lingering) {
            return closeLingering(socket);
        }
        if (socket.shutdownPending) {
            socket.shutdownPending = false;
            try {
                sockets.shutdown(socket, false, true);
            } catch (IOException e) {
                // the connection failed meanwhile: later operations will say so
            }
        }
        Slot waiting = socket.output;
        if (waiting.busy() && waiting.userData == 0) {
            return resumeWaitingWrite(socket, waiting);
        }
        return null;
    }

    private void dropOutbound(IoUringSocket socket) {
        if (socket.outbound != null) {
            loop.buffers.give(socket.outbound);
            socket.outbound = null;
        }
        socket.outboundBlocked = false;
    }

    /** Starts the write that waited for the outbound bytes to go; @return what its completion threw, or null */
    private Throwable resumeWaitingWrite(IoUringSocket socket, Slot slot) {
        try {
            long n = startWrite(socket, slot.buffer);
            if (n != PENDING) {
                return loop.complete(slot, n, null);
            }
        } catch (IOException e) {
            return loop.fail(slot, e);
        }
        if (socket.outbound == null) {
            // held in the loop so far: from now on the kernel holds it
            loop.resubmitHeld();
            sendQueued(socket, slot);
        }
        return null;
    }

    @Override
    public long sendTo(SocketHandle handle, ByteBuffer src, SocketAddress target, Completion completion)
            throws IOException {
        IoUringSocket socket = usable(handle, completion, Kind.DATAGRAM, Op.SEND.label);
        Slot slot = socket.output;
        slot.requireIdle(Op.SEND);
        Objects.requireNonNull(target, "target");
        long area = slot.message();
        int addressLength = SockAddr.encode(target, socket.family, Msg.address(slot.message));
        int length = src.remaining();
        long address;
        ByteBuffer bounce = null;
        if (src.isDirect()) {
            address = NativeBuffers.address(src, src.position());
        } else {
            if (length > BufferPool.MAX) {
                // Larger than any UDP payload: the kernel would refuse it the same way.
                throw libc.socketError(Linux.EMSGSIZE);
            }
            bounce = loop.buffers.take(length);
            bounce.put(0, src, src.position(), length);
            address = NativeBuffers.address(bounce);
        }
        Msg.fill(slot.message, area, address, length, addressLength);
        slot.arm(Op.SEND, completion, src, bounce);
        loop.submit(socket, slot, IoUringAbi.OP_SENDMSG, area, 1, 0, Linux.MSG_NOSIGNAL);
        return PENDING;
    }

    @Override
    public SocketAddress receiveFrom(SocketHandle handle, ByteBuffer dst, Completion completion) throws IOException {
        IoUringSocket socket = usable(handle, completion, Kind.DATAGRAM, Op.RECEIVE.label);
        Slot slot = socket.input;
        slot.requireIdle(Op.RECEIVE);
        BufferArguments.requireWritable(dst);
        if (slot.stashed) {
            return receiveStashed(slot, dst);
        }
        long area = slot.message();
        slot.arm(Op.RECEIVE, completion, dst, dst.isDirect() ? null : loop.buffers.take(dst.remaining()));
        Msg.fill(slot.message, area, slot.kernelAddress(), slot.kernelLength(), Linux.SOCKADDR_STORAGE);
        loop.submit(socket, slot, IoUringAbi.OP_RECVMSG, area, 1, 0, 0);
        return null;
    }

    private SocketAddress receiveStashed(Slot slot, ByteBuffer dst) throws IOException {
        int result = slot.stashedResult;
        SocketAddress sender = slot.stashedSender;
        byte[] bytes = slot.stashedBytes;
        slot.unstash();
        if (result < 0) {
            throw libc.socketError(-result);
        }
        // What does not fit is discarded, as for any datagram.
        dst.put(bytes, 0, Math.min(result, dst.remaining()));
        return sender;
    }

    @Override
    public boolean cancel(SocketHandle handle, Completion completion) {
        IoUringSocket socket = socketOf(handle);
        Objects.requireNonNull(completion, "completion");
        // One completion pending in both directions at once is ambiguous: the input one goes first.
        Slot slot = socket.input.completion == completion ? socket.input
                : socket.output.completion == completion ? socket.output
                : null;
        if (slot == null) {
            return false;
        }
        if (slot.userData != 0) {
            keep(socket, slot, loop.cancelInKernel(slot));
        }
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
        // FIN goes after the outbound bytes: at once if the kernel takes them at once, else when it has
        boolean later = output && socket.outbound != null && settleOutbound(socket);
        sockets.shutdown(socket, input, output && !later);
        if (output) {
            socket.outputShut = true;
            if (later) {
                socket.shutdownPending = true;
                continueOutbound(socket);
            }
            Slot waiting = socket.output;
            if (waiting.busy() && waiting.userData == 0) {
                // a write that waited for the outbound bytes meets the shut output, as a blocked send(2) would
                Failures.rethrow(loop.fail(waiting, libc.streamError(Linux.EPIPE)));
            }
        }
    }

    /**
     * Has the kernel take at once what it can of the outbound bytes: a write-behind SEND queued
     * with MSG_DONTWAIT is submitted and its result taken.
     *
     * @return whether outbound bytes are left
     */
    private boolean settleOutbound(IoUringSocket socket) {
        Slot behind = socket.behind;
        if (behind.userData != 0 && !socket.outboundBlocked) {
            int result = loop.settle(behind);
            if (result > 0) {
                socket.outboundStart += result;
            } else if (result < 0 && result != -Linux.EAGAIN && result != -Linux.EINTR) {
                socket.writeErrno = -result;
                dropOutbound(socket);
            }
        }
        if (socket.outbound != null && socket.outboundStart == socket.outboundEnd) {
            dropOutbound(socket);
        }
        return socket.outbound != null;
    }

    /** Queues a SEND that waits for room for the outbound bytes left, unless one is in the ring. */
    private void continueOutbound(IoUringSocket socket) {
        if (socket.behind.userData == 0) {
            socket.outboundBlocked = true;
            sendBehind(socket, 0);
        }
    }

    /**
     * Closes a socket for {@link IoUringEventLoop#close()}, failing its pending operations.
     *
     * @return what went wrong (the close or a completion), or null
     */
    Throwable release(IoUringSocket socket) {
        if (socket.lingering) {
            loop.cancelInKernel(socket.behind);
            return closeLingering(socket);
        }
        return Failures.merge(closeDescriptor(socket), loop.abort(socket));
    }

    /** Closes the descriptor of a socket closed while bytes were outbound, now that they are gone. */
    private Throwable closeLingering(IoUringSocket socket) {
        socket.lingering = false;
        dropOutbound(socket);
        loop.forget(socket);
        return sockets.close(socket);
    }

    /**
     * Sends what the kernel takes at once of the outbound bytes of a socket being closed.
     *
     * @return whether bytes are left that a SEND waiting for room must send before the descriptor is closed
     */
    private boolean flushOutbound(IoUringSocket socket) {
        if (!settleOutbound(socket)) {
            return false;
        }
        if (socket.linger == 0 || loop.isClosing()) {
            // a reset discards unsent data; a closing loop cannot wait for room
            if (socket.behind.userData != 0) {
                loop.cancelInKernel(socket.behind);
            }
            dropOutbound(socket);
            return false;
        }
        continueOutbound(socket);
        return true;
    }

    @Override
    protected Throwable failPending(IoUringSocket socket) {
        return loop.abort(socket);
    }

    /**
     * Hands the outbound bytes to the kernel (or keeps the descriptor open until they are sent: see
     * the class comment), cancels what is pending in the kernel and waits until the kernel is done
     * with it, then closes the descriptor.
     *
     * @return the failure of close(2), or null (also while the descriptor lingers); EINTR still
     *     closed the descriptor on Linux
     */
    @Override
    protected IOException closeDescriptor(IoUringSocket socket) {
        socket.markClosed();
        boolean linger = socket.outbound != null && flushOutbound(socket);
        Slot input = socket.input;
        if (loop.multishot) {
            loop.closeMultishot(socket);
        }
        if (input.busy() && input.userData != 0) {
            int result = loop.cancelInKernel(input);
            if (input.op == Op.ACCEPT && result >= 0) {
                // accepted while being cancelled: nobody will ever get it
                libc.close(result);
            }
        }
        if (socket.output.busy() && socket.output.userData != 0) {
            loop.cancelInKernel(socket.output);
        }
        if (input.stashed && input.stashedResult >= 0 && socket.kind == Kind.LISTENER) {
            libc.close(input.stashedResult);
        }
        input.unstash();
        if (linger) {
            socket.lingering = true;
            return null;
        }
        loop.forget(socket);
        return sockets.close(socket);
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
            if (slot.op == Op.READ) {
                socket.inputDrained = true;
            }
            retry(socket, slot);
            return null;
        }
        try {
            return switch (slot.op) {
                case ACCEPT -> result < 0 ? loop.fail(slot, libc.socketError(-result))
                        : loop.complete(slot, 0, accepted(socket, result));
                case CONNECT -> {
                    if (result < 0) {
                        yield loop.fail(slot, libc.socketError(-result));
                    }
                    socket.connected = true;
                    yield loop.complete(slot, 0, null);
                }
                case READ -> {
                    if (result < 0) {
                        yield loop.fail(slot, libc.streamError(-result));
                    }
                    if (result == 0) {
                        yield loop.complete(slot, -1, null);
                    }
                    socket.inputDrained = result < slot.kernelLength();
                    if (loop.provided != null && result < loop.provided.size) {
                        socket.bulk = false;
                    }
                    landed(slot, result);
                    yield loop.complete(slot, result, null);
                }
                case RECEIVE -> {
                    if (result < 0) {
                        yield loop.fail(slot, libc.socketError(-result));
                    }
                    landed(slot, result);
                    SocketAddress sender = SockAddr.decode(Msg.address(slot.message), Msg.addressLength(slot.message));
                    yield loop.complete(slot, result, sender);
                }
                case WRITE -> {
                    if (result < 0) {
                        yield loop.fail(slot, libc.streamError(-result));
                    }
                    slot.buffer.position(slot.position + result);
                    yield loop.complete(slot, result, null);
                }
                case SEND -> {
                    if (result < 0) {
                        yield loop.fail(slot, libc.socketError(-result));
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
                address = NativeBuffers.address(src, position);
                length = src.remaining();
            } else {
                length = Math.min(src.remaining(), bounce.capacity());
                bounce.put(0, src, position, length);
                address = NativeBuffers.address(bounce);
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
            throw libc.streamError(errno);
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
            case READ -> submitReceive(socket, true);
            case WRITE -> loop.resubmit(socket, slot, IoUringAbi.OP_SEND, slot.kernelAddress(), slot.kernelLength(), 0,
                    Linux.MSG_NOSIGNAL);
            case RECEIVE -> loop.resubmit(socket, slot, IoUringAbi.OP_RECVMSG, slot.messagePointer, 1, 0, 0);
            case SEND -> loop.resubmit(socket, slot, IoUringAbi.OP_SENDMSG, slot.messagePointer, 1, 0, Linux.MSG_NOSIGNAL);
            case CONNECT -> loop.resubmit(socket, slot, IoUringAbi.OP_CONNECT, slot.messagePointer + Msg.ADDRESS, 0,
                    slot.addressLength, 0);
        }
    }

    @Override
    protected IoUringSocket socketOf(SocketHandle handle) {
        if (handle instanceof IoUringSocket socket && socket.owner == this) {
            return socket;
        }
        throw new IllegalArgumentException("not a socket of this event loop: " + handle);
    }
}
