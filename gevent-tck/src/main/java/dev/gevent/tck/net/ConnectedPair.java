package dev.gevent.tck.net;

import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;

/**
 * Two cooperative sockets connected over 127.0.0.1, both owned by the calling hub.
 *
 * @param client the end that connected
 * @param server the end that was accepted
 */
record ConnectedPair(Socket client, Socket server) implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    /** Asked of the kernel for a choked client's send buffer; Linux doubles it and has a floor. */
    private static final int SMALL_BUFFER = 64 * 1024;
    /**
     * Far more than a choked pair holds: the client's small send buffer plus the server's receive
     * buffer, which the kernel grows only as the server reads. Writing it waits until the server reads.
     */
    static final int MORE_THAN_BUFFERED = 4 << 20;

    /** @return a connected pair; the listener it came from is closed */
    static ConnectedPair open() throws IOException {
        try (ServerSocket listener = ServerSocket.bind(new InetSocketAddress(LOOPBACK, 0))) {
            Socket client = Socket.connect(listener.localAddress());
            // The kernel completed the handshake, so the connection waits in the queue: no greenlet needed.
            return new ConnectedPair(client, listener.accept());
        }
    }

    /**
     * The server's receive buffer keeps its size: shrinking it once connected makes Linux drop the
     * segments already sized for the larger window it advertised, and the transfer crawls on
     * retransmissions.
     *
     * @return a connected pair whose client send buffer is small, so that the client's writes soon
     *     have to wait while the server does not read
     */
    static ConnectedPair choked() throws IOException {
        ConnectedPair pair = open();
        pair.client.setOption(StandardSocketOptions.SO_SNDBUF, SMALL_BUFFER);
        return pair;
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
