package dev.gevent.backend.linux;

import java.nio.ByteBuffer;

/**
 * The checks a stream read or write makes of the caller's buffer before anything else, with the
 * messages both Linux loops give (the same as the nio loop's). Static and allocation-free: they
 * run on every operation.
 */
public final class BufferArguments {
    private BufferArguments() {
    }

    /**
     * @param buffer the caller's buffer
     * @param operation what it is for ("read", "write")
     * @param filling true if the operation writes into the buffer (a read), false if it takes from it
     * @throws IllegalArgumentException if it has no room (a read) or nothing (a write) left
     */
    public static void requireRemaining(ByteBuffer buffer, String operation, boolean filling) {
        if (!buffer.hasRemaining()) {
            throw new IllegalArgumentException(operation + " needs a buffer with at least one byte "
                    + (filling ? "free" : "remaining"));
        }
    }

    /**
     * @param buffer a buffer that an operation will fill
     * @throws IllegalArgumentException if it is read-only
     */
    public static void requireWritable(ByteBuffer buffer) {
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
    }
}
