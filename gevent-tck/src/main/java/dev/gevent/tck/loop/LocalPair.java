package dev.gevent.tck.loop;

import dev.gevent.spi.SocketHandle;

/**
 * Two connected stream sockets of the transport under test.
 *
 * @param client the socket that connected
 * @param server the socket the listener accepted
 */
record LocalPair(SocketHandle client, SocketHandle server) {
}
