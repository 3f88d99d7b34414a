package dev.gevent.server;

import dev.gevent.socket.StreamSocket;
import java.net.SocketAddress;

/**
 * What a {@link StreamServer} runs for each connection, in a greenlet of its own (gevent: the
 * server's {@code handle(socket, address)}). The server closes the socket when the handler returns
 * or throws; an exception is reported to the hub's error handler, as gevent prints it.
 */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * Serves one connection.
     *
     * @param socket the connection: a {@link dev.gevent.socket.Socket}, or a
     *     {@link dev.gevent.ssl.SslSocket} when the server speaks TLS
     * @param peer the client's address
     * @throws Exception anything; it ends this connection only
     */
    void handle(StreamSocket socket, SocketAddress peer) throws Exception;
}
