package dev.gevent.backend.linux;

/**
 * What every Linux loop knows of a socket descriptor, whatever its loop does with it: the
 * descriptor, its kind and family, whether it has a local address yet, and its SO_LINGER. A
 * backend's socket extends it with its own state (slots, registration) and implements
 * {@code dev.gevent.spi.SocketHandle}. Hub thread only.
 */
public abstract class LinuxSocket {
    public final int fd;
    public final Kind kind;
    /** AF_INET, AF_INET6 or AF_UNIX. */
    public final int family;
    private boolean open = true;
    /** False for a stream socket until it connects: the JDK reports no local address before. */
    public boolean bound;
    /** SO_LINGER as last set through the transport, in seconds; -1 when off (the default). */
    public int linger = -1;

    protected LinuxSocket(int fd, Kind kind, int family) {
        this.fd = fd;
        this.kind = kind;
        this.family = family;
    }

    /** @return false once the transport closed it */
    public final boolean isOpen() {
        return open;
    }

    /** Marks the socket closed, before its transport closes the descriptor. */
    public final void markClosed() {
        open = false;
    }

    /** @throws IllegalArgumentException if this socket is not of {@code needed} kind */
    public final void require(Kind needed, String operation) {
        if (kind != needed) {
            throw new IllegalArgumentException(operation + " needs a " + needed.label + ", not " + this);
        }
    }
}
