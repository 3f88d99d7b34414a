package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gevent.socket.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A byte stream whose byte at offset {@code k} is {@code k % 251}: a prime that divides no buffer
 * size, so a byte lost, written twice or reordered by an interrupted write shows where it happened.
 */
final class StreamPattern {
    private static final int PRIME = 251;

    private StreamPattern() {
    }

    /** @return the {@code size} bytes of the stream from {@code offset}, in a direct buffer */
    static ByteBuffer bytes(long offset, int size) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            b.put((byte) ((offset + i) % PRIME));
        }
        return b.flip();
    }

    /**
     * Reads {@code socket} to the end of the stream, checking each byte.
     *
     * @param socket what to read
     * @return how many bytes it read
     */
    static long drain(Socket socket) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long offset = 0;
        while (socket.read(buffer.clear()) >= 0) {
            offset = check(offset, buffer.flip());
        }
        return offset;
    }

    /**
     * Checks that {@code received} holds the stream's bytes from {@code offset}.
     *
     * @return the offset after them
     */
    static long check(long offset, ByteBuffer received) {
        while (received.hasRemaining()) {
            byte got = received.get();
            if (got != (byte) (offset % PRIME)) {
                assertEquals((byte) (offset % PRIME), got, "the stream's byte at offset " + offset);
            }
            offset++;
        }
        return offset;
    }
}
