package dev.gevent.internal;

import dev.gevent.socket.StreamSocket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A stream socket as an {@link InputStream} (gevent: {@code makefile('rb')}): each read is one
 * socket read. Closing it closes the socket. Internal API.
 */
public final class StreamSocketInput extends InputStream {
    private final StreamSocket socket;
    private final byte[] one = new byte[1];

    /** @param socket the socket to read */
    public StreamSocketInput(StreamSocket socket) {
        this.socket = socket;
    }

    @Override
    public int read() throws IOException {
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        return socket.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "InputStream of " + socket;
    }
}
