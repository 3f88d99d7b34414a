package dev.gevent.backend.epoll;

import java.util.Arrays;

/**
 * The open sockets of one loop, indexed by descriptor: epoll's reports name a socket by its
 * descriptor and generation, and closing the loop closes every socket left. Descriptors are small
 * and dense, so an array that grows by doubling suffices.
 */
final class SocketTable {
    private EpollSocket[] byFd = new EpollSocket[64];

    void add(EpollSocket socket) {
        if (socket.fd >= byFd.length) {
            byFd = Arrays.copyOf(byFd, Math.max(byFd.length * 2, socket.fd + 1));
        }
        byFd[socket.fd] = socket;
    }

    void remove(EpollSocket socket) {
        if (socket.fd < byFd.length && byFd[socket.fd] == socket) {
            byFd[socket.fd] = null;
        }
    }

    /**
     * @param token an epoll_event's data, as {@link EpollSocket#token()} made it
     * @return the open socket it names, or null if that socket was closed since
     */
    EpollSocket lookup(long token) {
        int fd = (int) token;
        if (fd < 0 || fd >= byFd.length) {
            return null;
        }
        EpollSocket socket = byFd[fd];
        return socket != null && socket.generation == (int) (token >>> 32) ? socket : null;
    }

    /** @return the number of slots to scan with {@link #at} */
    int capacity() {
        return byFd.length;
    }

    /** @return the socket of descriptor {@code fd}, or null */
    EpollSocket at(int fd) {
        return byFd[fd];
    }
}
