package dev.gevent.server;

import dev.gevent.socket.DatagramSocket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a {@link DatagramServer} runs for each datagram, in a greenlet of its own (gevent: the
 * server's {@code handle(data, address)}). An exception is reported to the hub's error handler.
 */
@FunctionalInterface
public interface DatagramHandler {
    /**
     * Handles one datagram.
     *
     * @param data exactly the datagram, from position to limit (up to 65,507 bytes); valid only
     *     until the handler returns
     * @param peer the sender's address
     * @param socket the server's socket, to reply with ({@code socket.send(reply, peer)})
     * @throws Exception anything; it ends this datagram's handling only
     */
    void handle(ByteBuffer data, SocketAddress peer, DatagramSocket socket) throws Exception;
}
