package dev.gevent.backend.iouring;

import dev.gevent.backend.linux.Kind;
import dev.gevent.backend.linux.LinuxSocket;
import dev.gevent.spi.SocketHandle;
import java.nio.ByteBuffer;

/**
 * A socket descriptor with its two direction slots. The descriptor is a blocking one: every
 * operation that could wait goes through the ring, which never blocks on it (the kernel tries the
 * operation without waiting and arms an internal poll when it would block), and io_uring treats an
 * {@code O_NONBLOCK} descriptor's EAGAIN as a result rather than a reason to wait for some
 * operations.
 */
final class IoUringSocket extends LinuxSocket implements SocketHandle {
    /** Where the loop's socket table keeps it; part of its operations' user_data. */
    int index;
    /** The transport that opened it; a socket is used with no other. */
    final IoUringTransport owner;
    final Slot input = new Slot("input", 0);
    final Slot output = new Slot("output", 1);
    /** The SEND of {@link #outbound}'s bytes, when one is in the ring. */
    final Slot behind = new Slot("write-behind", 2);
    /**
     * The socket's multishot operation while its user_data is set: a stream's RECV into the loop's
     * provided buffers, or a listener's ACCEPT. Reads or accepts wait for its CQEs in {@link #input}
     * with no operation in the kernel of their own.
     */
    final Slot multishot = new Slot("multishot", 3);
    /** The {@link #multishot} operation was asked to stop (ASYNC_CANCEL) and has not ended yet. */
    boolean multishotStopping;
    /** What the {@link #multishot} receive received that no read has taken yet; made on first use. */
    Inbound inbound;
    /** The connections the {@link #multishot} accept took that no accept has taken yet; made on first use. */
    Accepted accepted;
    /**
     * The {@link #multishot} receive filled a whole provided buffer: the peer sends in bulk, and reads go
     * straight into the caller's buffer, through the ring, until one gets less than a provided
     * buffer holds.
     */
    boolean bulk;
    /**
     * Bytes that writes returned as written and the kernel has not taken yet, from
     * {@link #outboundStart} to {@link #outboundEnd}: a pooled direct buffer, null when empty.
     */
    ByteBuffer outbound;
    int outboundStart;
    int outboundEnd;
    /** The SQE of {@link #behind}'s SEND, and its ticket: while unsubmitted, more bytes join it. */
    long outboundSqe;
    int outboundTicket;
    /** The send buffer was full: {@link #behind}'s SEND waits for room, and so do further writes. */
    boolean outboundBlocked;
    /** The errno a write-behind SEND failed with: every later write fails with it. */
    int writeErrno;
    /** Output was shut down, or will be once {@link #outbound} is sent. */
    boolean outputShut;
    boolean shutdownPending;
    /** Closed by its user with bytes still to send: the descriptor stays open until they are sent. */
    boolean lingering;
    /** A connect completed. */
    boolean connected;
    /**
     * The last receive left the socket empty (it got less than it asked for, or nothing): the
     * next one is queued to wait for data before it tries, saving the attempt that would fail.
     */
    boolean inputDrained;

    IoUringSocket(int fd, Kind kind, int family, IoUringTransport owner) {
        super(fd, kind, family);
        this.owner = owner;
    }

    @Override
    public String toString() {
        return "IoUringSocket[fd=" + fd + ", " + kind.label + (isOpen() ? "" : ", closed") + "]";
    }
}
