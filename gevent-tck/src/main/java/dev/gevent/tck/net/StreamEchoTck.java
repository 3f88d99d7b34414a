package dev.gevent.tck.net;

import static dev.gevent.tck.net.EchoPeer.acceptOneAndEcho;
import static dev.gevent.tck.net.EchoPeer.randomBytes;
import static dev.gevent.tck.net.EchoPeer.readToEnd;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A cooperative TCP connection carries bytes as gevent's {@code socket} does: an echo of every size
 * from one byte to 8 MiB comes back byte for byte while one greenlet writes and another reads the
 * same socket; {@code recv} returns an empty array and {@code read} -1 at the end of the stream;
 * a half-closed connection still carries the reply; {@code writeFully}/{@code sendAll} write
 * everything (gevent {@code sendall}); IPv4 and IPv6 loopback both work; {@code connect(host,
 * port)} resolves names and literals (gevent {@code create_connection}); both ends agree on their
 * addresses; {@code isOpen} follows {@code close}; and socket options are set, read back, or
 * refused with {@link UnsupportedOperationException} when they do not apply.
 */
@GeventTck
public class StreamEchoTck {
    /**
     * Far more than the send buffer below and a fresh connection's receive buffer hold together, so
     * that a writer must wait for the reader. (Tiny buffers on both ends would prove the same, but
     * make some TCP stacks crawl through zero-window probes.)
     */
    private static final int LARGER_THAN_THE_BUFFERS = 4 << 20;
    private static final int SEND_BUFFER = 64 * 1024;

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 1024, 64 * 1024, 1 << 20, 8 << 20})
    void echoComesBackByteForByteWhileOneGreenletWritesAndAnotherReads(int size) throws Exception {
        byte[] data = randomBytes(size);
        try (ServerSocket server = Loopback.listenIpv4()) {
            Greenlet<Long> echo = acceptOneAndEcho(server);
            try (Socket client = Socket.connect(server.localAddress())) {
                // Full duplex: a client that wrote everything before reading would deadlock with the
                // echo once the buffers of both directions filled up.
                Greenlet<Void> writer = Gevent.spawn(() -> {
                    client.sendAll(data);
                    client.shutdownOutput();
                });
                byte[] back = readToEnd(client);
                writer.get();
                assertEquals(size, back.length, "bytes echoed back");
                assertArrayEquals(data, back);
            }
            assertEquals(size, echo.get(), "bytes the server echoed");
        }
    }

    @Test
    void recvReturnsAnEmptyArrayAtTheEndOfTheStream() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress())) {
            server.accept().close();
            assertEquals(0, client.recv(16).length);
            assertEquals(0, client.recv(16).length, "the end of the stream is still there on the next call");
        }
    }

    @Test
    void readReturnsMinusOneAtTheEndOfTheStream() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress())) {
            try (Socket accepted = server.accept()) {
                accepted.sendAll(new byte[] {42});
            }
            ByteBuffer buffer = ByteBuffer.allocate(16);
            assertEquals(1, client.read(buffer), "what was sent before the close comes first");
            assertEquals(-1, client.read(buffer));
            assertEquals(-1, client.read(buffer));
            assertEquals(1, buffer.position());
        }
    }

    @Test
    void readIntoAFullBufferReturnsZeroWithoutWaiting() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            // Nothing is sent: a read that waited for data would never return.
            assertEquals(0, client.read(ByteBuffer.allocate(0)));
            assertEquals(0, client.recv(0).length);
            assertTrue(accepted.isOpen());
        }
    }

    @Test
    void halfClosedConnectionStillCarriesTheReply() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4()) {
            Greenlet<String> peer = Gevent.spawn(() -> {
                try (Socket accepted = server.accept()) {
                    String request = new String(readToEnd(accepted), US_ASCII);
                    // The client's end of stream has arrived; its input side is still open for this.
                    accepted.sendAll(("reply to " + request).getBytes(US_ASCII));
                    return request;
                }
            });
            try (Socket client = Socket.connect(server.localAddress())) {
                client.sendAll("request".getBytes(US_ASCII));
                client.shutdownOutput();
                assertEquals("reply to request", new String(readToEnd(client), US_ASCII));
            }
            assertEquals("request", peer.get());
        }
    }

    @Test
    void writingAfterShutdownOutputFails() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            client.shutdownOutput();
            assertThrows(IOException.class, () -> client.sendAll(new byte[] {1}));
            assertEquals(0, accepted.recv(16).length, "the peer saw the end of the stream and no byte after it");
        }
    }

    @Test
    void writeFullyWritesEveryByteBetweenPositionAndLimit() throws Exception {
        byte[] data = randomBytes(LARGER_THAN_THE_BUFFERS);
        int skipped = 100;
        AtomicLong received = new AtomicLong();
        try (ServerSocket server = Loopback.listenIpv4()) {
            Greenlet<byte[]> peer = countingReader(server, received);
            try (Socket client = Socket.connect(server.localAddress())) {
                client.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
                ByteBuffer src = ByteBuffer.allocateDirect(data.length).put(data).flip();
                src.position(skipped).limit(data.length - skipped);
                client.writeFully(src);
                assertTrue(received.get() > 0, "the data did not fit the buffers, so writeFully had to wait for the reader");
                assertEquals(0, src.remaining());
                assertEquals(data.length - skipped, src.position());
            }
            assertArrayEquals(Arrays.copyOfRange(data, skipped, data.length - skipped), peer.get());
        }
    }

    @Test
    void sendAllWritesEveryByte() throws Exception {
        byte[] data = randomBytes(LARGER_THAN_THE_BUFFERS);
        AtomicLong received = new AtomicLong();
        try (ServerSocket server = Loopback.listenIpv4()) {
            Greenlet<byte[]> peer = countingReader(server, received);
            try (Socket client = Socket.connect(server.localAddress())) {
                client.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
                client.sendAll(data);
                assertTrue(received.get() > 0, "the data did not fit the buffers, so sendAll had to wait for the reader");
            }
            assertArrayEquals(data, peer.get());
        }
    }

    /** Reads one connection to its end, adding to {@code received} as the bytes arrive. */
    private static Greenlet<byte[]> countingReader(ServerSocket server, AtomicLong received) {
        return Gevent.spawn(() -> {
            try (Socket accepted = server.accept()) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                byte[] chunk;
                while ((chunk = accepted.recv(64 * 1024)).length > 0) {
                    all.writeBytes(chunk);
                    received.addAndGet(chunk.length);
                }
                return all.toByteArray();
            }
        });
    }

    @Test
    void echoWorksOverIpv6Loopback() throws Exception {
        byte[] data = "over ::1".getBytes(US_ASCII);
        try (ServerSocket server = Loopback.listenIpv6()) {
            assertInstanceOf(Inet6Address.class, server.localAddress().getAddress());
            Greenlet<Long> echo = acceptOneAndEcho(server);
            try (Socket client = Socket.connect(server.localAddress())) {
                assertInstanceOf(Inet6Address.class, ((InetSocketAddress) client.localAddress()).getAddress());
                client.sendAll(data);
                client.shutdownOutput();
                assertArrayEquals(data, readToEnd(client));
            }
            assertEquals(data.length, echo.get());
        }
    }

    @Test
    void connectByHostNameReachesTheListener() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4()) {
            Greenlet<Long> echo = acceptOneAndEcho(server);
            // "localhost" may name ::1 first: connect(host, port) goes on to the next address then.
            try (Socket client = Socket.connect("localhost", server.localAddress().getPort())) {
                InetSocketAddress remote = (InetSocketAddress) client.remoteAddress();
                assertEquals(Loopback.IPV4, remote.getAddress());
                assertEquals(server.localAddress().getPort(), remote.getPort());
                client.sendAll(new byte[] {7});
                client.shutdownOutput();
                assertArrayEquals(new byte[] {7}, readToEnd(client));
            }
            assertEquals(1, echo.get());
        }
    }

    @Test
    void connectByAddressLiteralReachesTheListener() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4()) {
            Greenlet<Long> echo = acceptOneAndEcho(server);
            try (Socket client = Socket.connect("127.0.0.1", server.localAddress().getPort())) {
                assertEquals(server.localAddress(), client.remoteAddress());
                client.sendAll(new byte[] {8});
                client.shutdownOutput();
                assertArrayEquals(new byte[] {8}, readToEnd(client));
            }
            assertEquals(1, echo.get());
        }
    }

    @Test
    void bothEndsAgreeOnTheirAddresses() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            InetSocketAddress listening = server.localAddress();
            assertEquals(Loopback.IPV4, listening.getAddress());
            assertNotEquals(0, listening.getPort(), "port 0 asks for a free port, which the listener reports");
            assertEquals(listening, client.remoteAddress());
            assertEquals(listening, accepted.localAddress());
            SocketAddress clientEnd = client.localAddress();
            assertInstanceOf(Inet4Address.class, ((InetSocketAddress) clientEnd).getAddress());
            assertNotEquals(listening, clientEnd);
            assertEquals(clientEnd, accepted.remoteAddress());
        }
    }

    @Test
    void isOpenTurnsFalseOnlyWithClose() throws Exception {
        ServerSocket server = Loopback.listenIpv4();
        Socket client = Socket.connect(server.localAddress());
        Socket accepted = server.accept();
        assertTrue(server.isOpen());
        assertTrue(client.isOpen());
        assertTrue(accepted.isOpen());

        client.shutdownOutput();
        assertTrue(client.isOpen(), "a half-closed socket is still open");
        client.close();
        assertFalse(client.isOpen());
        assertEquals(0, accepted.recv(16).length);
        assertTrue(accepted.isOpen(), "the peer's close ends the stream but does not close this socket");

        client.close();
        assertFalse(client.isOpen(), "close is idempotent");
        accepted.close();
        assertFalse(accepted.isOpen());
        server.close();
        assertFalse(server.isOpen());
    }

    @Test
    void tcpNoDelayAndKeepAliveAreSetAndReadBack() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            for (boolean on : new boolean[] {true, false, true}) {
                assertSame(client, client.setOption(StandardSocketOptions.TCP_NODELAY, on));
                assertEquals(on, client.getOption(StandardSocketOptions.TCP_NODELAY));
                assertSame(accepted, accepted.setOption(StandardSocketOptions.SO_KEEPALIVE, on));
                assertEquals(on, accepted.getOption(StandardSocketOptions.SO_KEEPALIVE));
            }
        }
    }

    @Test
    void receiveBufferSizeIsSetAndReadBack() throws Exception {
        int small = 16 * 1024;
        int large = 64 * 1024;
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress())) {
            server.accept().close();
            client.setOption(StandardSocketOptions.SO_RCVBUF, small);
            int gotSmall = client.getOption(StandardSocketOptions.SO_RCVBUF);
            client.setOption(StandardSocketOptions.SO_RCVBUF, large);
            int gotLarge = client.getOption(StandardSocketOptions.SO_RCVBUF);
            // The size is a hint the kernel may round up (Linux doubles it), but never ignore.
            assertTrue(gotSmall >= small, () -> "asked for " + small + ", got " + gotSmall);
            assertTrue(gotLarge > gotSmall, () -> "asked for " + large + " after " + small + ", got " + gotLarge
                    + " after " + gotSmall);
        }
    }

    @Test
    void anOptionThatDoesNotApplyToAStreamSocketIsUnsupported() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress())) {
            server.accept().close();
            assertThrows(UnsupportedOperationException.class,
                    () -> client.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 4));
            assertThrows(UnsupportedOperationException.class,
                    () -> client.getOption(StandardSocketOptions.SO_BROADCAST));
            assertTrue(client.isOpen(), "a refused option leaves the socket usable");
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }
}
