package dev.gevent.backend.epoll;

import dev.gevent.spi.Completion;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One direction of a socket: the operation pending in it, if any, with everything needed to retry
 * it when epoll reports the socket ready. A socket owns two and reuses them, so a pending operation
 * costs no allocation.
 */
final class Slot {
    private final String direction;
    Op op;
    Completion completion;
    ByteBuffer buffer;
    SocketAddress target;

    Slot(String direction) {
        this.direction = direction;
    }

    boolean busy() {
        return op != null;
    }

    /** @throws IllegalStateException if an operation is already pending in this direction */
    void requireIdle(Op next) {
        if (op != null) {
            throw new IllegalStateException("cannot start " + next.label + ": a " + op.label
                    + " is already pending in this socket's " + direction
                    + " direction (one operation per direction at a time)");
        }
    }

    void arm(Op op, Completion completion, ByteBuffer buffer, SocketAddress target) {
        this.op = op;
        this.completion = completion;
        this.buffer = buffer;
        this.target = target;
    }

    /** Empties the slot, so that the completion it returns may start the next operation at once. */
    Completion clear() {
        Completion c = completion;
        op = null;
        completion = null;
        buffer = null;
        target = null;
        return c;
    }
}
