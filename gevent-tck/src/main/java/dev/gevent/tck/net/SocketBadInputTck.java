package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Arguments the stream sockets refuse, and the degenerate ones they accept: a null argument is a
 * {@link NullPointerException} naming it, a port outside 0-65535 or a negative {@code recv} size
 * an {@link IllegalArgumentException}, a host that does not resolve an
 * {@link UnknownHostException}; an empty buffer is read or written at once, as 0 bytes, without
 * blocking or switching (gevent: {@code recv(0)} and {@code send(b'')} return at once).
 */
@GeventTck
public class SocketBadInputTck {
    /**
     * Under the reserved {@code .invalid} top-level domain (RFC 2606), which never resolves; the
     * resolver says so without asking the network.
     */
    private static final String UNRESOLVABLE = "no-such-host.invalid";

    @Test
    void nullArgumentsAreNullPointerExceptionsNamingTheArgument() throws IOException {
        Duration none = null;
        assertNamesNull("remote", () -> Socket.connect((SocketAddress) null));
        assertNamesNull("remote", () -> Socket.connect((SocketAddress) null, none));
        assertNamesNull("host", () -> Socket.connect((String) null, 80));
        assertNamesNull("local", () -> ServerSocket.bind(null));
        assertNamesNull("local", () -> ServerSocket.bind(null, 0, false));
        try (ConnectedPair pair = ConnectedPair.open()) {
            Socket s = pair.client();
            assertNamesNull("dst", () -> s.read(null));
            assertNamesNull("src", () -> s.write(null));
            assertNamesNull("src", () -> s.writeFully(null));
            assertNamesNull("data", () -> s.sendAll(null));
            assertNamesNull("name", () -> s.setOption(null, true));
            assertNamesNull("name", () -> s.getOption(null));
            // None of them touched the socket.
            pair.server().sendAll(new byte[] {42});
            assertArrayEquals(new byte[] {42}, s.recv(8));
        }
    }

    @Test
    void aPortOutOfRangeIsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Socket.connect("127.0.0.1", -1));
        assertThrows(IllegalArgumentException.class, () -> Socket.connect("127.0.0.1", 65536));
        assertThrows(IllegalArgumentException.class, () -> Socket.connect("127.0.0.1", Integer.MIN_VALUE));
    }

    @Test
    void aNegativeRecvSizeIsIllegalArgument() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            assertThrows(IllegalArgumentException.class, () -> pair.client().recv(-1));
            pair.server().sendAll(new byte[] {7});
            assertArrayEquals(new byte[] {7}, pair.client().recv(8), "the refused recv consumed data");
        }
    }

    @Test
    void emptyBuffersAreReadAndWrittenAtOnceWithoutSwitching() throws IOException {
        try (ConnectedPair pair = ConnectedPair.choked()) {
            Socket client = pair.client();
            // Full: a write of even one byte would have to wait.
            Greenlet<Void> filler = Gevent.spawn(() ->
                    client.writeFully(ByteBuffer.allocateDirect(ConnectedPair.MORE_THAN_BUFFERED)));
            Gevent.idle();
            filler.kill();

            List<String> ran = new ArrayList<>();
            Greenlet<Boolean> other = Gevent.spawn(() -> ran.add("other"));
            assertEquals(0, client.read(ByteBuffer.allocate(0)), "read into no room");
            assertEquals(0, client.write(ByteBuffer.allocate(0)), "write of nothing");
            client.writeFully(ByteBuffer.allocate(0));
            client.sendAll(new byte[0]);
            assertArrayEquals(new byte[0], client.recv(0));
            assertEquals(0, client.inputStream().read(new byte[4], 0, 0));
            client.outputStream().write(new byte[0]);
            assertTrue(ran.isEmpty(), "an empty read or write switched to the hub, which ran " + ran);
            other.join();
        }
    }

    @Test
    void aHostThatDoesNotResolveIsUnknownHostException() throws IOException {
        try (ServerSocket server = ServerSocket.bind(new InetSocketAddress(ConnectedPair.LOOPBACK, 0))) {
            int port = server.localAddress().getPort();
            assertThrows(UnknownHostException.class, () -> Socket.connect(UNRESOLVABLE, port));
            assertThrows(UnknownHostException.class,
                    () -> Socket.connect(InetSocketAddress.createUnresolved(UNRESOLVABLE, port)));
            assertThrows(UnknownHostException.class,
                    () -> ServerSocket.bind(InetSocketAddress.createUnresolved(UNRESOLVABLE, 0)));
        }
    }

    @Test
    void anUnresolvedAddressWithALiteralHostIsResolvedAndConnects() throws IOException {
        try (ServerSocket server = ServerSocket.bind(new InetSocketAddress(ConnectedPair.LOOPBACK, 0))) {
            int port = server.localAddress().getPort();
            Greenlet<Socket> acceptor = Gevent.spawn(() -> server.accept());
            try (Socket client = Socket.connect(InetSocketAddress.createUnresolved("127.0.0.1", port));
                    Socket accepted = acceptor.get()) {
                assertEquals(client.localAddress(), accepted.remoteAddress());
            }
        }
    }

    private static void assertNamesNull(String argument, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call, "null " + argument);
        assertTrue(e.getMessage() != null && e.getMessage().contains(argument),
                () -> "the NullPointerException for a null " + argument + " says: " + e.getMessage());
    }
}
