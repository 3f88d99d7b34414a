package dev.gevent.internal;

import dev.gevent.socket.StreamSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A stream socket as an {@link OutputStream} (gevent: {@code makefile('wb')}): every write writes
 * fully; there is no buffer, so flush does nothing. Closing it closes the socket. Internal API.
 */
public final class StreamSocketOutput extends OutputStream {
    private final StreamSocket socket;
    private final byte[] one = new byte[1];

    /** @param socket the socket to write */
    public StreamSocketOutput(StreamSocket socket) {
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > 0) {
            socket.writeFully(ByteBuffer.wrap(b, off, len));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "OutputStream of " + socket;
    }
}
