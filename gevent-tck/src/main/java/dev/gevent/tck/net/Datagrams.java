package dev.gevent.tck.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.socket.DatagramSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** The datagram sockets and the text payloads of the datagram tests, all on loopback. */
final class Datagrams {
    private Datagrams() {
    }

    /** @return a socket on 127.0.0.1 and a free port, owned by the calling hub */
    static DatagramSocket bindIpv4() throws IOException {
        return DatagramSocket.bind(new InetSocketAddress(Loopback.IPV4, 0));
    }

    /**
     * @return a socket on ::1 and a free port, owned by the calling hub
     * @throws org.opentest4j.TestAbortedException (skips the test) where ::1 cannot be bound
     */
    static DatagramSocket bindIpv6() throws IOException {
        try {
            return DatagramSocket.bind(new InetSocketAddress(Loopback.IPV6, 0));
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "IPv6 loopback ::1 cannot be bound here: " + e);
            throw e;
        }
    }

    /** Sends {@code text} as one datagram. */
    static void send(DatagramSocket socket, String text, SocketAddress target) throws IOException {
        socket.send(ByteBuffer.wrap(text.getBytes(UTF_8)), target);
    }

    /** @return the text of the next datagram {@code socket} receives (at most 64 KiB) */
    static String receiveText(DatagramSocket socket) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(64 * 1024);
        socket.receive(dst);
        return text(dst.flip());
    }

    /** @return what remains in {@code buffer}, as UTF-8 */
    static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, UTF_8);
    }
}
