package dev.gevent.tck.ssl;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.socket.StreamSocket;
import java.nio.ByteBuffer;
import java.util.Random;

/** The echo server of the TLS tests, and their test data. */
final class Echo {
    private Echo() {
    }

    /**
     * Spawns a greenlet that writes back what {@code socket} reads until the end of the stream,
     * then closes it.
     *
     * @return the greenlet; its value is the number of bytes echoed
     */
    static Greenlet<Long> serve(StreamSocket socket) {
        return Gevent.spawn(() -> {
            try (socket) {
                ByteBuffer buffer = ByteBuffer.allocate(32 * 1024);
                long total = 0;
                while (socket.read(buffer.clear()) >= 0) {
                    total += buffer.flip().remaining();
                    socket.writeFully(buffer);
                }
                return total;
            }
        });
    }

    /** @return {@code size} pseudo-random bytes, the same for the same size */
    static byte[] data(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }
}
