package dev.gevent.benchmarks.echo;

import dev.gevent.server.ConnectionHandler;
import dev.gevent.socket.Socket;
import dev.gevent.socket.StreamSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;

/**
 * The echo of {@link GeventEchoServer} and {@link IdleConnections}: reads whatever has arrived into
 * one direct buffer, allocated once per connection, and writes it all back, until the peer ends the
 * stream. TCP_NODELAY is set, as the other contenders set it. A connection that fails (a load
 * generator that exits resets its connections) is reported in one line, as the other contenders
 * report it, rather than as a greenlet's failure with its stack trace.
 */
final class EchoHandler implements ConnectionHandler {
    private final int bufferBytes;

    /** @param bufferBytes the capacity of each connection's buffer */
    EchoHandler(int bufferBytes) {
        this.bufferBytes = bufferBytes;
    }

    @Override
    public void handle(StreamSocket socket, SocketAddress peer) throws Exception {
        if (socket instanceof Socket plain) {
            plain.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferBytes);
        try {
            while (socket.read(buffer.clear()) >= 0) {
                socket.writeFully(buffer.flip());
            }
        } catch (IOException e) {
            System.err.println("connection failed: " + e);
        }
    }
}
