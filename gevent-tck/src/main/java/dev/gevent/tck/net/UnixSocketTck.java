package dev.gevent.tck.net;

import static dev.gevent.tck.net.EchoPeer.acceptOneAndEcho;
import static dev.gevent.tck.net.EchoPeer.randomBytes;
import static dev.gevent.tck.net.EchoPeer.readToEnd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix domain stream sockets ({@code AF_UNIX}, gevent's {@code socket.AF_UNIX}) behave as TCP ones
 * do through the same {@code Socket} and {@code ServerSocket}: an echo comes back byte for byte,
 * the end of the stream reads as an empty {@code recv} and a -1 {@code read}, the addresses name
 * the socket file (the connecting end is unnamed), TCP options do not apply, and the socket file
 * outlives the listener until it is deleted, after which the path can be bound again.
 */
@GeventTck
public class UnixSocketTck {
    @TempDir
    Path dir;

    @Test
    void echoComesBackByteForByte() throws Exception {
        byte[] data = randomBytes(1 << 20);
        try (ServerSocket server = listen("echo.sock")) {
            Greenlet<Long> echo = acceptOneAndEcho(server);
            try (Socket client = Socket.connect(server.address())) {
                Greenlet<Void> writer = Gevent.spawn(() -> {
                    client.sendAll(data);
                    client.shutdownOutput();
                });
                assertArrayEquals(data, readToEnd(client));
                writer.get();
            }
            assertEquals(data.length, echo.get());
        }
    }

    @Test
    void endOfStreamReadsAsAnEmptyRecvAndMinusOne() throws Exception {
        try (ServerSocket server = listen("eof.sock");
                Socket client = Socket.connect(server.address())) {
            server.accept().close();
            assertEquals(0, client.recv(16).length);
            assertEquals(-1, client.read(ByteBuffer.allocate(16)));
        }
    }

    @Test
    void addressesNameTheSocketFile() throws Exception {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("addresses.sock"));
        try (ServerSocket server = listen("addresses.sock");
                Socket client = Socket.connect(path);
                Socket accepted = server.accept()) {
            assertEquals(path, server.address());
            assertNull(server.localAddress(), "localAddress() is for internet listeners");
            assertEquals(path, client.remoteAddress());
            assertEquals(path, accepted.localAddress());
            // The connecting end is not bound to a file: its address is the unnamed one, an empty path.
            UnixDomainSocketAddress clientEnd = assertInstanceOf(UnixDomainSocketAddress.class, client.localAddress());
            assertEquals(Path.of(""), clientEnd.getPath());
            assertEquals(clientEnd, accepted.remoteAddress());
        }
    }

    @Test
    void tcpOptionsDoNotApply() throws Exception {
        try (ServerSocket server = listen("options.sock");
                Socket client = Socket.connect(server.address())) {
            server.accept().close();
            assertThrows(UnsupportedOperationException.class,
                    () -> client.setOption(StandardSocketOptions.TCP_NODELAY, true));
            client.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
            assertTrue(client.getOption(StandardSocketOptions.SO_SNDBUF) > 0);
        }
    }

    @Test
    void socketFileOutlivesTheListenerUntilDeleted() throws Exception {
        Path file = dir.resolve("reuse.sock");
        ServerSocket first = listen("reuse.sock");
        assertTrue(Files.exists(file), "binding creates the socket file");
        first.close();
        assertTrue(Files.exists(file), "closing the listener leaves the file, as the JDK does");
        assertThrows(IOException.class, () -> listen("reuse.sock"), "a path whose file exists cannot be bound");

        Files.delete(file);
        try (ServerSocket second = listen("reuse.sock")) {
            Greenlet<Long> echo = acceptOneAndEcho(second);
            try (Socket client = Socket.connect(second.address())) {
                client.sendAll(new byte[] {5});
                client.shutdownOutput();
                assertArrayEquals(new byte[] {5}, readToEnd(client));
            }
            assertEquals(1, echo.get());
        } finally {
            Files.deleteIfExists(file);
        }
        assertFalse(Files.exists(file));
    }

    /** Binds a listener on a file of the test's directory, skipping where Unix domain sockets are missing. */
    private ServerSocket listen(String name) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve(name));
        try {
            return ServerSocket.bind(address);
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "Unix domain sockets are not supported here: " + e);
            throw e;
        }
    }
}
