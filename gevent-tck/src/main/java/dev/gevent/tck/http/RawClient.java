package dev.gevent.tck.http;

import dev.gevent.socket.Socket;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A client that writes raw bytes to a server and reads its responses: one cooperative socket. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    private final InputStream in;

    RawClient(InetSocketAddress server) throws IOException {
        socket = Socket.connect(server);
        in = new BufferedInputStream(socket.inputStream());
    }

    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) throws IOException {
        socket.writeFully(ByteBuffer.wrap(bytes));
        return this;
    }

    Wire.Response read() throws IOException {
        return Wire.read(in, false);
    }

    Wire.Response readHead() throws IOException {
        return Wire.read(in, true);
    }

    /** @return true if the server closed the connection: the next read finds the end of the stream */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;   // a reset after the server closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
