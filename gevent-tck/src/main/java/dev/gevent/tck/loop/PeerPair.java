package dev.gevent.tck.loop;

import dev.gevent.spi.SocketHandle;
import java.net.Socket;

/**
 * A stream socket of the transport under test connected to a blocking {@code java.net} socket.
 *
 * @param socket the transport's end, accepted by its listener
 * @param peer the blocking end, closed by the harness at the end of the test
 */
record PeerPair(SocketHandle socket, Socket peer) {
}
