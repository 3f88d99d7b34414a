package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Timeout;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Network failures surface as the JDK's exceptions (gevent: the {@code socket.error} subclasses):
 * a refused connection is a {@link ConnectException}, a reset a {@link SocketException}, writing
 * to a peer that closed an {@link IOException} (never a crash: no SIGPIPE), binding a port that
 * is listened on a {@link BindException}; and listeners that all set SO_REUSEPORT share a port.
 */
@GeventTck
public class SocketFaultTck {
    /** A bound on what ends at once; only a hang reaches it. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** Writes into a dead connection before giving up: the kernel fails the second or third. */
    private static final int MAX_WRITES = 10_000;

    @Test
    void connectToAPortNobodyListensOnThrowsConnectException() throws IOException {
        InetSocketAddress vacant;
        try (ServerSocket server = listen()) {
            vacant = server.localAddress();
        }
        InetSocketAddress address = vacant;
        assertThrows(ConnectException.class, () -> Socket.connect(address));
        assertThrows(ConnectException.class, () -> Socket.connect(address, PROMPTLY));
        assertThrows(ConnectException.class, () -> Socket.connect("127.0.0.1", address.getPort()));
        assertTrue(Gevent.getHub().join(PROMPTLY), "a refused connect left something registered in the loop");
    }

    @Test
    void aReaderBlockedWhenThePeerResetsTheConnectionGetsSocketException() throws IOException {
        quietErrors();
        try (ConnectedPair pair = ConnectedPair.open()) {
            Greenlet<Integer> reader = Gevent.spawn(() -> pair.client().read(ByteBuffer.allocate(8)));
            Gevent.idle();
            assertFalse(reader.dead(), "the reader did not block: nothing was sent");
            reset(pair.server());
            assertTrue(reader.join(PROMPTLY), "the reset did not wake the reader");
            assertNotNull(reader.exception(), () -> "the read after a reset returned " + reader.value());
            assertInstanceOf(SocketException.class, reader.exception());
        }
    }

    @Test
    void readingFromAConnectionThePeerResetThrowsSocketException() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            reset(pair.server());
            assertThrows(SocketException.class, () -> pair.client().read(ByteBuffer.allocate(8)));
        }
    }

    @Test
    void writingToAConnectionThePeerResetThrowsSocketException() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            reset(pair.server());
            IOException e = writeUntilItFails(pair.client());
            assertInstanceOf(SocketException.class, e, () -> "a write after a reset threw " + e);
        }
    }

    @Test
    void writingToAPeerThatClosedThrowsAnIOExceptionEventuallyAndNeverCrashes() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            pair.server().close();
            IOException e = writeUntilItFails(pair.client());
            assertFalse(e instanceof java.nio.channels.ClosedChannelException,
                    () -> "the writer's own socket is open, yet it threw " + e);
        }
    }

    @Test
    void bindingAnAddressAlreadyListenedOnThrowsBindException() throws IOException {
        try (ServerSocket first = listen()) {
            InetSocketAddress taken = first.localAddress();
            assertThrows(BindException.class, () -> ServerSocket.bind(taken));
            assertThrows(BindException.class, () -> ServerSocket.bind(taken, 0, true),
                    "SO_REUSEPORT on the second listener only");
        }
    }

    @Test
    void listenersThatAllSetReusePortShareAPortAndEitherAcceptsAConnection() throws IOException {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "SO_REUSEPORT shares a port among listeners on Linux; other kernels differ");
        try (ServerSocket first = ServerSocket.bind(new InetSocketAddress(ConnectedPair.LOOPBACK, 0), 0, true);
                ServerSocket second = ServerSocket.bind(first.localAddress(), 0, true)) {
            assertEquals(first.localAddress(), second.localAddress());
            Greenlet<Socket> a = Gevent.spawn(() -> first.accept());
            Greenlet<Socket> b = Gevent.spawn(() -> second.accept());
            try (Socket client = Socket.connect(first.localAddress())) {
                List<Greenlet<Socket>> done = Gevent.wait(List.of(a, b), PROMPTLY, 1);
                assertEquals(1, done.size(), "neither listener accepted the connection");
                try (Socket accepted = done.getFirst().get()) {
                    assertEquals(client.localAddress(), accepted.remoteAddress());
                }
            } finally {
                a.kill();
                b.kill();
            }
        }
    }

    /** Sets SO_LINGER to 0 and closes: the kernel sends a reset instead of the end of the stream. */
    private static void reset(Socket socket) throws IOException {
        socket.setOption(StandardSocketOptions.SO_LINGER, 0);
        socket.close();
    }

    /** @return what the first failing write threw; fails the test if none fails */
    private static IOException writeUntilItFails(Socket socket) {
        ByteBuffer chunk = ByteBuffer.allocateDirect(8 * 1024);
        try (Timeout guard = Timeout.startNew(PROMPTLY)) {
            for (int i = 0; i < MAX_WRITES; i++) {
                try {
                    socket.write(chunk.clear());
                } catch (IOException e) {
                    return e;
                }
            }
        }
        return fail(MAX_WRITES + " writes into a dead connection all succeeded");
    }

    /** Keeps the failures of greenlets that die of a reset on purpose off stderr. */
    private static void quietErrors() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
    }

    private static ServerSocket listen() throws IOException {
        return ServerSocket.bind(new InetSocketAddress(ConnectedPair.LOOPBACK, 0));
    }
}
