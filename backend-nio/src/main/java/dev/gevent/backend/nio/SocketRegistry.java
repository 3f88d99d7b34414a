package dev.gevent.backend.nio;

/**
 * The open sockets of one loop, so that closing the loop closes them all. An intrusive list: adding
 * and removing is constant time and allocates nothing.
 */
final class SocketRegistry {
    private NioSocket head;

    void add(NioSocket socket) {
        socket.next = head;
        if (head != null) {
            head.previous = socket;
        }
        head = socket;
    }

    /** Removes a socket that {@link #add} added; called once per socket, when it closes. */
    void remove(NioSocket socket) {
        if (socket.previous != null) {
            socket.previous.next = socket.next;
        } else {
            head = socket.next;
        }
        if (socket.next != null) {
            socket.next.previous = socket.previous;
        }
        socket.previous = null;
        socket.next = null;
    }

    /** @return any open socket, or null when none is left */
    NioSocket any() {
        return head;
    }
}
