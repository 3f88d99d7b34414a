package dev.gevent.tck.ssl;

import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Two connected cooperative TCP sockets on 127.0.0.1, of the calling greenlet's hub.
 *
 * @param client the end that connected
 * @param server the end that was accepted
 */
record PlainPair(Socket client, Socket server) implements AutoCloseable {
    static PlainPair open() throws IOException {
        try (ServerSocket listener = ServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Socket client = Socket.connect(listener.localAddress());
            return new PlainPair(client, listener.accept());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
