package dev.gevent.tck.net;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

/**
 * The far end of the stream tests: a greenlet that echoes a connection until its end of stream,
 * and the reading and data-making the near end needs to check what came back.
 */
final class EchoPeer {
    private static final int CHUNK = 64 * 1024;

    private EchoPeer() {
    }

    /**
     * Spawns a greenlet that accepts one connection on {@code server}, echoes it until the peer
     * shuts its output, then closes it.
     *
     * @return the greenlet; its value is the number of bytes echoed
     */
    static Greenlet<Long> acceptOneAndEcho(ServerSocket server) {
        return Gevent.spawn(() -> {
            try (Socket accepted = server.accept()) {
                return echo(accepted);
            }
        });
    }

    /** Echoes {@code socket} until its end of stream; returns the number of bytes echoed. */
    static long echo(Socket socket) throws IOException {
        long total = 0;
        byte[] chunk;
        while ((chunk = socket.recv(CHUNK)).length > 0) {
            socket.sendAll(chunk);
            total += chunk.length;
        }
        return total;
    }

    /** @return everything {@code socket} reads until its end of stream */
    static byte[] readToEnd(Socket socket) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = socket.recv(CHUNK)).length > 0) {
            all.writeBytes(chunk);
        }
        return all.toByteArray();
    }

    /** @return {@code size} pseudo-random bytes, the same for the same size, so that a failure repeats */
    static byte[] randomBytes(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }
}
