package dev.gevent.backend.epoll;

import dev.gevent.backend.linux.Kind;
import dev.gevent.backend.linux.LinuxSocket;
import dev.gevent.spi.SocketHandle;

/**
 * A non-blocking socket descriptor with its two direction slots. It is registered with epoll once,
 * when it is created, and stays registered until close(2) drops it from the epoll set.
 */
final class EpollSocket extends LinuxSocket implements SocketHandle {
    /** Tells this socket from an earlier one of the same descriptor number in epoll's reports. */
    final int generation;
    /** The transport that opened it; a socket is used with no other. */
    final EpollTransport owner;
    final Slot input = new Slot("input");
    final Slot output = new Slot("output");
    /**
     * The last read took less than it asked for, so the kernel had no more, and epoll has not
     * reported the socket readable since: the next read waits for readiness instead of trying a
     * read(2) that would almost surely fail with EAGAIN (one syscall fewer per message in a
     * request/response loop). Data that arrives after that read is reported by epoll as a new edge.
     */
    boolean drained;
    /**
     * Epoll reported the peer's end of stream, a hang-up or an error. That is a state, not an
     * arrival: no further edge would come for it, so {@link #drained} is not trusted any more.
     */
    boolean hungUp;

    EpollSocket(int fd, Kind kind, int family, int generation, EpollTransport owner) {
        super(fd, kind, family);
        this.generation = generation;
        this.owner = owner;
    }

    /** @return the epoll_event data that names this socket: its generation and descriptor */
    long token() {
        return (long) generation << 32 | fd & 0xffff_ffffL;
    }

    @Override
    public String toString() {
        return "EpollSocket[fd=" + fd + ", " + kind.label + (isOpen() ? "" : ", closed") + "]";
    }
}
