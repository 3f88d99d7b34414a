package dev.gevent.backend.iouring;

import dev.gevent.spi.Completion;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One direction of a socket: the operation the kernel holds for it, if any, with what its
 * completion needs. A socket owns its slots and reuses them, so an operation allocates nothing.
 *
 * <p>An input slot also keeps what a withdrawn operation took from the kernel after all (the
 * operation completed while it was being cancelled): the next operation in that direction gets it
 * first, so a timed-out or killed read never loses bytes, a datagram or a connection.
 */
final class Slot {
    private final String direction;
    /** 0 for input, 1 for output, 2 for the write-behind sends: the low two bits of the operation's user_data. */
    final int index;
    Op op;
    Completion completion;
    /** The caller's buffer. */
    ByteBuffer buffer;
    /** Its position when the operation started. */
    int position;
    /** A connect's address length in {@link #message}. */
    int addressLength;
    /** The pooled direct buffer the kernel uses in place of a heap {@link #buffer}, or null. */
    ByteBuffer bounce;
    /** The user_data of the operation in the kernel, or 0. */
    long userData;
    /** Counts this slot's operations, so a late CQE of an earlier one is told from the current one's. */
    int generation;
    /**
     * A {@code struct msghdr}, its {@code struct iovec} and a {@code sockaddr_storage} that the
     * kernel reads while a datagram or connect operation is in flight; made on first use.
     */
    ByteBuffer message;
    long messagePointer;

    /** Whether a withdrawn operation's result waits in {@link #stashedResult}. */
    boolean stashed;
    /** Bytes received, 0 for end of stream, an accepted descriptor, or a negative errno. */
    int stashedResult;
    byte[] stashedBytes;
    int stashedOffset;
    SocketAddress stashedSender;

    Slot(String direction, int index) {
        this.direction = direction;
        this.index = index;
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

    void arm(Op op, Completion completion, ByteBuffer buffer, ByteBuffer bounce) {
        this.op = op;
        this.completion = completion;
        this.buffer = buffer;
        this.position = buffer == null ? 0 : buffer.position();
        this.bounce = bounce;
    }

    /** Empties the slot, so that the completion it returns may start the next operation at once. */
    Completion clear() {
        Completion c = completion;
        op = null;
        completion = null;
        buffer = null;
        bounce = null;
        userData = 0;
        return c;
    }

    /** @return where the kernel reads or writes the bytes: the bounce buffer, or the caller's at its position */
    long kernelAddress() {
        return bounce != null ? NativeBuffers.address(bounce) : NativeBuffers.address(buffer, position);
    }

    /** @return how many bytes the kernel may read or write at {@link #kernelAddress()} */
    int kernelLength() {
        return bounce != null ? Math.min(buffer.remaining(), bounce.capacity()) : buffer.remaining();
    }

    /** @return the address of this slot's message area, made on first use */
    long message() {
        if (message == null) {
            message = NativeBuffers.allocate(Msg.SIZE);
            messagePointer = NativeBuffers.address(message);
        }
        return messagePointer;
    }

    void unstash() {
        stashed = false;
        stashedBytes = null;
        stashedSender = null;
    }
}
