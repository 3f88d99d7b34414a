package dev.gevent.backend.iouring;

import dev.gevent.backend.linux.Kind;
import dev.gevent.backend.linux.LinuxSocket;
import dev.gevent.spi.SocketHandle;

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
