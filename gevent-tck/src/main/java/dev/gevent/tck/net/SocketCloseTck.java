package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Closing a socket (gevent: {@code socket.close()}, which cancels the socket's watchers and wakes
 * their greenlets with an error): every greenlet blocked on the socket wakes with an
 * {@link AsynchronousCloseException}, a reader and a writer alike, also when the close comes from
 * a plain thread; a closed listener wakes its acceptor; each operation started after the close
 * fails with {@link ClosedChannelException}; closing again does nothing.
 *
 * <p>A pending connect is not here: {@link Socket#connect} returns the socket only once it is
 * connected, so there is nothing to close meanwhile; kills, {@code Timeout}s and connect timeouts
 * end it instead (see {@link SocketKillTck} and {@link SocketTimeoutTck}).
 */
@GeventTck
public class SocketCloseTck {
    /** Far below any wait that could end only by the close; a woken greenlet dies well within it. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @Test
    void closeWakesAGreenletBlockedInReadWithAsynchronousCloseException() throws IOException {
        quietErrors();
        try (ConnectedPair pair = ConnectedPair.open()) {
            Greenlet<Integer> reader = Gevent.spawn(() -> pair.client().read(ByteBuffer.allocate(16)));
            Gevent.idle();
            assertFalse(reader.dead(), "the reader did not block: nothing was sent");
            pair.client().close();
            assertDiedOfAsynchronousClose(reader);
        }
    }

    @Test
    void closeWakesAGreenletBlockedInWriteWithAsynchronousCloseException() throws IOException {
        quietErrors();
        try (ConnectedPair pair = ConnectedPair.choked()) {
            ByteBuffer data = ByteBuffer.allocateDirect(ConnectedPair.MORE_THAN_BUFFERED);
            Greenlet<Void> writer = Gevent.spawn(() -> pair.client().writeFully(data));
            Gevent.idle();
            assertFalse(writer.dead(), "the writer did not block: the peer reads nothing");
            assertTrue(data.hasRemaining());
            pair.client().close();
            assertDiedOfAsynchronousClose(writer);
        }
    }

    @Test
    void closeWakesBothAReaderAndAWriterBlockedOnTheSameSocket() throws IOException {
        quietErrors();
        try (ConnectedPair pair = ConnectedPair.choked()) {
            Greenlet<Integer> reader = Gevent.spawn(() -> pair.client().read(ByteBuffer.allocate(16)));
            Greenlet<Void> writer = Gevent.spawn(() ->
                    pair.client().writeFully(ByteBuffer.allocateDirect(ConnectedPair.MORE_THAN_BUFFERED)));
            Gevent.idle();
            assertFalse(reader.dead(), "the reader did not block");
            assertFalse(writer.dead(), "the writer did not block");
            pair.client().close();
            assertDiedOfAsynchronousClose(reader);
            assertDiedOfAsynchronousClose(writer);
        }
    }

    @Test
    void closeOfAServerSocketWakesAGreenletBlockedInAccept() throws IOException {
        quietErrors();
        try (ServerSocket server = listen()) {
            Greenlet<Socket> acceptor = Gevent.spawn(() -> server.accept());
            Gevent.idle();
            assertFalse(acceptor.dead(), "the acceptor did not block: nobody connected");
            server.close();
            assertDiedOfAsynchronousClose(acceptor);
        }
    }

    @Test
    void closeFromAPlainThreadWakesAGreenletBlockedInRead() throws Exception {
        quietErrors();
        try (ConnectedPair pair = ConnectedPair.open()) {
            Greenlet<Integer> reader = Gevent.spawn(() -> pair.client().read(ByteBuffer.allocate(16)));
            Gevent.idle();
            assertFalse(reader.dead(), "the reader did not block");
            Thread closer = Thread.ofPlatform().name("closer").start(() -> closeUnchecked(pair.client()));
            assertDiedOfAsynchronousClose(reader);
            assertTrue(closer.join(PROMPTLY), "the closing thread is stuck");
            assertFalse(pair.client().isOpen());
        }
    }

    @Test
    void closeFromAPlainThreadWakesAGreenletBlockedInAccept() throws Exception {
        quietErrors();
        try (ServerSocket server = listen()) {
            Greenlet<Socket> acceptor = Gevent.spawn(() -> server.accept());
            Gevent.idle();
            assertFalse(acceptor.dead(), "the acceptor did not block");
            Thread closer = Thread.ofPlatform().name("closer").start(() -> closeUnchecked(server));
            assertDiedOfAsynchronousClose(acceptor);
            assertTrue(closer.join(PROMPTLY), "the closing thread is stuck");
        }
    }

    @Test
    void everyStreamOperationAfterCloseThrowsClosedChannelException() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            Socket s = pair.client();
            s.close();
            assertFalse(s.isOpen());
            assertClosed("read", () -> s.read(ByteBuffer.allocate(8)));
            assertClosed("write", () -> s.write(ByteBuffer.wrap(new byte[] {1})));
            assertClosed("writeFully", () -> s.writeFully(ByteBuffer.wrap(new byte[] {1})));
            assertClosed("recv", () -> s.recv(8));
            assertClosed("sendAll", () -> s.sendAll(new byte[] {1}));
            assertClosed("inputStream().read", () -> s.inputStream().read());
            assertClosed("outputStream().write", () -> s.outputStream().write(1));
            assertClosed("shutdownOutput", s::shutdownOutput);
            assertClosed("shutdownInput", s::shutdownInput);
            assertClosed("setOption", () -> s.setOption(StandardSocketOptions.TCP_NODELAY, true));
        }
    }

    @Test
    void acceptAfterCloseThrowsClosedChannelException() throws IOException {
        ServerSocket server = listen();
        server.close();
        assertFalse(server.isOpen());
        assertClosed("accept", server::accept);
    }

    @Test
    void closeIsIdempotentFromTheOwnerAndFromAPlainThread() throws Exception {
        List<Throwable> reported = new ArrayList<>();
        Gevent.getHub().setErrorHandler((context, error) -> reported.add(error));
        try (ConnectedPair pair = ConnectedPair.open(); ServerSocket server = listen()) {
            Socket s = pair.client();
            SocketAddress local = s.localAddress();
            s.close();
            s.close();
            s.inputStream().close();
            server.close();
            server.close();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread closer = Thread.ofPlatform().name("closer").start(() -> {
                try {
                    s.close();
                    server.close();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            assertTrue(closer.join(PROMPTLY), "the closing thread is stuck");
            assertNull(failure.get(), "a second close from a plain thread failed");
            // The closes the plain thread handed to the hub run here, and must do nothing either.
            Gevent.getHub().join();
            assertEquals(List.of(), reported, "the closes handed to the hub failed");
            assertFalse(s.isOpen());
            assertFalse(server.isOpen());
            assertEquals(local, s.localAddress(), "the local address is still known after close");
        }
    }

    @Test
    void aPeerBlockedInReadSeesTheEndOfTheStreamWhenTheOtherEndCloses() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            Greenlet<Integer> reader = Gevent.spawn(() -> pair.server().read(ByteBuffer.allocate(16)));
            Gevent.idle();
            assertFalse(reader.dead(), "the reader did not block");
            pair.client().close();
            assertEquals(-1, reader.get(PROMPTLY), "the peer's read after close");
        }
    }

    /** Keeps the failures of greenlets that die of the close on purpose off stderr. */
    private static void quietErrors() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
    }

    private static ServerSocket listen() throws IOException {
        return ServerSocket.bind(new InetSocketAddress(ConnectedPair.LOOPBACK, 0));
    }

    private static void closeUnchecked(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertDiedOfAsynchronousClose(Greenlet<?> g) {
        assertTrue(g.join(PROMPTLY), () -> g + " was not woken by the close");
        Throwable e = g.exception();
        assertNotNull(e, () -> g + " returned " + g.value() + " instead of failing");
        assertInstanceOf(AsynchronousCloseException.class, e, () -> g + " failed with " + e);
    }

    private static void assertClosed(String operation, Executable call) {
        Throwable e = assertThrows(Throwable.class, call, operation + " after close");
        assertInstanceOf(ClosedChannelException.class, e, () -> operation + " after close threw " + e);
    }
}
