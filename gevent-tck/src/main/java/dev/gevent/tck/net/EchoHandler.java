package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.gevent.server.ConnectionHandler;
import dev.gevent.socket.StreamSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The echo protocol of the server tests: the server side echoes a connection until its end of
 * stream and returns (the server then closes it); the client side sends a message, ends its output
 * and expects the same bytes back, then the end of the stream.
 */
final class EchoHandler implements ConnectionHandler {
    private static final int CHUNK = 16 * 1024;

    /** Echoes until the client's end of stream. */
    @Override
    public void handle(StreamSocket socket, SocketAddress peer) throws IOException {
        echo(socket);
    }

    /** Echoes {@code socket} until its end of stream, without closing it. */
    static void echo(StreamSocket socket) throws IOException {
        byte[] chunk;
        while ((chunk = socket.recv(CHUNK)).length > 0) {
            socket.sendAll(chunk);
        }
    }

    /**
     * Sends {@code message}, ends the output and checks that exactly the same bytes come back
     * before the end of the stream. The message must be small enough for the socket buffers, as
     * nothing is read while it is sent.
     */
    static void expectEcho(StreamSocket client, String message) throws IOException {
        byte[] sent = message.getBytes(StandardCharsets.UTF_8);
        client.sendAll(sent);
        client.shutdownOutput();
        assertArrayEquals(sent, client.inputStream().readAllBytes(), "what came back from the echo server");
    }

    /** The same check for a JDK socket, which cooperates when it runs in a greenlet. */
    static void expectEcho(java.net.Socket client, String message) throws IOException {
        byte[] sent = message.getBytes(StandardCharsets.UTF_8);
        client.getOutputStream().write(sent);
        client.shutdownOutput();
        assertArrayEquals(sent, client.getInputStream().readAllBytes(), "what came back from the echo server");
    }
}
