package dev.gevent.backend.iouring;

import dev.gevent.spi.SocketHandle;

/**
 * A socket descriptor with its two direction slots. The descriptor is a blocking one: every
 * operation that could wait goes through the ring, which never blocks on it (the kernel tries the
 * operation without waiting and arms an internal poll when it would block), and io_uring treats an
 * {@code O_NONBLOCK} descriptor's EAGAIN as a result rather than a reason to wait for some
 * operations.
 */
final class IoUringSocket implements SocketHandle {
    final int fd;
    final Kind kind;
    /** AF_INET, AF_INET6 or AF_UNIX. */
    final int family;
    /** Where the loop's socket table keeps it; part of its operations' user_data. */
    int index;
    /** The transport that opened it; a socket is used with no other. */
    final IoUringTransport owner;
    final Slot input = new Slot("input", 0);
    final Slot output = new Slot("output", 1);
    private boolean open = true;
    /** False for a stream socket until it connects: the JDK reports no local address before. */
    boolean bound;
    /** A connect completed. */
    boolean connected;
    /** SO_LINGER as last set through the transport, in seconds; -1 when off (the default). */
    int linger = -1;

    IoUringSocket(int fd, Kind kind, int family, IoUringTransport owner) {
        this.fd = fd;
        this.kind = kind;
        this.family = family;
        this.owner = owner;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    void markClosed() {
        open = false;
    }

    /** @throws IllegalArgumentException if this socket is not of {@code needed} kind */
    void require(Kind needed, String operation) {
        if (kind != needed) {
            throw new IllegalArgumentException(operation + " needs a " + needed.label + ", not " + this);
        }
    }

    @Override
    public String toString() {
        return "IoUringSocket[fd=" + fd + ", " + kind.label + (open ? "" : ", closed") + "]";
    }
}
