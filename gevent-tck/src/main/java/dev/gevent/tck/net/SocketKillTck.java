package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.tck.OpenFileDescriptors;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Killing a greenlet blocked on a socket, or letting a {@link Timeout} expire on it (gevent: the
 * kill or timeout is raised at the blocking point and the watcher is stopped): the greenlet dies
 * with the {@link GreenletExit} or the {@code Timeout} propagates, and the operation is withdrawn.
 * The socket stays usable by another greenlet (no "already pending" {@link IllegalStateException},
 * no byte lost or written twice) and nothing about the operation stays registered in the loop,
 * which {@link Hub#join(Duration)} shows: with open sockets but nothing pending, it returns at
 * once, where a forgotten operation would keep it waiting (for a write, which the kernel may yet
 * complete, a next write started at once shows it instead). A kill that lands in the same loop
 * iteration as an accept's completion closes the accepted connection rather than leaking it.
 */
@GeventTck
public class SocketKillTck {
    private static final Duration SHORT = Duration.ofMillis(50);
    /** A wait that ends this fast was not waiting for an operation that nothing will complete. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @Test
    void killDuringReadWithdrawsTheReadAndTheNextReaderGetsTheData() throws IOException {
        Hub hub = Gevent.getHub();
        try (ConnectedPair pair = ConnectedPair.open()) {
            Greenlet<Integer> reader = Gevent.spawn(() -> pair.client().read(ByteBuffer.allocate(8)));
            Gevent.idle();
            assertFalse(reader.dead(), "the reader did not block: nothing was sent");
            reader.kill();
            assertKilled(reader);
            assertTrue(hub.join(PROMPTLY), "the killed read is still registered in the loop");

            Greenlet<byte[]> next = Gevent.spawn(() -> pair.client().recv(8));
            Gevent.idle();
            pair.server().sendAll(bytes("late"));
            assertArrayEquals(bytes("late"), next.get(PROMPTLY), "the read after the kill");
        }
    }

    @Test
    void timeoutDuringReadPropagatesAndWithdrawsTheRead() throws IOException {
        Hub hub = Gevent.getHub();
        try (ConnectedPair pair = ConnectedPair.open()) {
            Timeout timeout = Timeout.startNew(SHORT);
            Timeout thrown = assertThrows(Timeout.class, () -> pair.client().read(ByteBuffer.allocate(8)));
            timeout.cancel();
            assertSame(timeout, thrown);
            assertTrue(hub.join(PROMPTLY), "the read ended by the Timeout is still registered in the loop");

            pair.server().sendAll(bytes("late"));
            assertArrayEquals(bytes("late"), pair.client().recv(8), "the read after the Timeout");
        }
    }

    @Test
    void timeoutWithItsOwnExceptionRaisesThatExceptionFromABlockedRead() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            IllegalStateException own = new IllegalStateException("gave up reading");
            Timeout timeout = Timeout.startNew(SHORT, own);
            Throwable thrown = assertThrows(Throwable.class, () -> pair.client().read(ByteBuffer.allocate(8)));
            timeout.cancel();
            assertSame(own, thrown);
            pair.server().sendAll(bytes("late"));
            assertArrayEquals(bytes("late"), pair.client().recv(8), "the read after the Timeout");
        }
    }

    @Test
    void killDuringWriteWithdrawsTheWriteAndNoByteIsLostOrDoubled() throws IOException {
        try (ConnectedPair pair = ConnectedPair.choked()) {
            Socket client = pair.client();
            AtomicLong base = new AtomicLong();
            AtomicReference<ByteBuffer> chunk = new AtomicReference<>();
            Greenlet<Void> writer = Gevent.spawn(() -> {
                while (true) {
                    ByteBuffer next = StreamPattern.bytes(base.get(), 64 * 1024);
                    chunk.set(next);
                    while (next.hasRemaining()) {
                        client.write(next);
                    }
                    base.addAndGet(next.limit());
                }
            });
            Gevent.idle();
            assertFalse(writer.dead(), "the writer did not block: the peer reads nothing");
            writer.kill();
            assertKilled(writer);

            // A write's buffer moves by what it wrote, so this is all that reached the socket.
            long written = base.get() + chunk.get().position();
            // Started before the peer reads: a write the kill left pending would make it fail at once.
            Greenlet<Void> next = Gevent.spawn(() -> {
                client.writeFully(StreamPattern.bytes(written, 1000));
                client.shutdownOutput();
            });
            Greenlet<Long> drain = Gevent.spawn(() -> StreamPattern.drain(pair.server()));
            next.get(PROMPTLY);
            assertEquals(written + 1000, drain.get(PROMPTLY), "bytes the peer received");
        }
    }

    @Test
    void killDuringWriteFullyLeavesTheRestInItsBufferForTheNextWriter() throws IOException {
        try (ConnectedPair pair = ConnectedPair.choked()) {
            ByteBuffer data = StreamPattern.bytes(0, ConnectedPair.MORE_THAN_BUFFERED);
            Greenlet<Void> writer = Gevent.spawn(() -> pair.client().writeFully(data));
            Gevent.idle();
            assertFalse(writer.dead(), "the writer did not block: the peer reads nothing");
            writer.kill();
            assertKilled(writer);
            assertTrue(data.hasRemaining());

            // Started before the peer reads: a write the kill left pending would make it fail at once.
            Greenlet<Void> next = Gevent.spawn(() -> {
                pair.client().writeFully(data);
                pair.client().shutdownOutput();
            });
            Greenlet<Long> drain = Gevent.spawn(() -> StreamPattern.drain(pair.server()));
            next.get(PROMPTLY);
            assertEquals(ConnectedPair.MORE_THAN_BUFFERED, drain.get(PROMPTLY), "bytes the peer received");
        }
    }

    @Test
    void timeoutDuringWriteFullyPropagatesAndTheWriteCanBeResumed() throws IOException {
        try (ConnectedPair pair = ConnectedPair.choked()) {
            ByteBuffer data = StreamPattern.bytes(0, ConnectedPair.MORE_THAN_BUFFERED);
            Timeout timeout = Timeout.startNew(SHORT);
            Timeout thrown = assertThrows(Timeout.class, () -> pair.client().writeFully(data));
            timeout.cancel();
            assertSame(timeout, thrown);
            assertTrue(data.hasRemaining());

            Greenlet<Long> drain = Gevent.spawn(() -> StreamPattern.drain(pair.server()));
            pair.client().writeFully(data);
            pair.client().shutdownOutput();
            assertEquals(ConnectedPair.MORE_THAN_BUFFERED, drain.get(PROMPTLY), "bytes the peer received");
        }
    }

    @Test
    void killDuringAcceptWithdrawsTheAcceptAndTheListenerStaysUsable() throws IOException {
        Hub hub = Gevent.getHub();
        try (ServerSocket server = listen()) {
            Greenlet<Socket> acceptor = Gevent.spawn(() -> server.accept());
            Gevent.idle();
            assertFalse(acceptor.dead(), "the acceptor did not block: nobody connected");
            acceptor.kill();
            assertKilled(acceptor);
            assertTrue(hub.join(PROMPTLY), "the killed accept is still registered in the loop");

            Greenlet<Socket> next = Gevent.spawn(() -> server.accept());
            try (Socket client = Socket.connect(server.localAddress()); Socket accepted = next.get(PROMPTLY)) {
                assertEquals(client.localAddress(), accepted.remoteAddress());
            }
        }
    }

    @Test
    void timeoutDuringAcceptPropagatesAndTheListenerStaysUsable() throws IOException {
        try (ServerSocket server = listen()) {
            Timeout timeout = Timeout.startNew(SHORT);
            Timeout thrown = assertThrows(Timeout.class, server::accept);
            timeout.cancel();
            assertSame(timeout, thrown);
            try (Socket client = Socket.connect(server.localAddress()); Socket accepted = server.accept()) {
                assertEquals(client.localAddress(), accepted.remoteAddress());
            }
        }
    }

    @Test
    void killDuringConnectWithdrawsTheConnectAndClosesItsSocket() throws IOException {
        Hub hub = Gevent.getHub();
        try (FullBacklog full = FullBacklog.open()) {
            int rounds = 10;
            long before = OpenFileDescriptors.count();
            for (int i = 0; i < rounds; i++) {
                Greenlet<Socket> connector = Gevent.spawn(() -> Socket.connect(full.address()));
                Gevent.idle();
                FullBacklog.assumePending(connector);
                connector.kill();
                assertKilled(connector);
                assertTrue(hub.join(PROMPTLY), "the killed connect is still registered in the loop");
            }
            // The JDK releases a registered channel's descriptor in the selector's next poll.
            Gevent.idle();
            long grown = OpenFileDescriptors.count() - before;
            assertTrue(grown < rounds, () -> rounds + " killed connects left " + grown + " more descriptors open");
        }
    }

    @Test
    void timeoutDuringConnectPropagatesFromTheConnectingGreenlet() throws IOException {
        quietErrors();
        Hub hub = Gevent.getHub();
        try (FullBacklog full = FullBacklog.open()) {
            Timeout timeout = new Timeout(Duration.ofMillis(200));
            Greenlet<Socket> connector = Gevent.spawn(() -> {
                timeout.start();
                return Socket.connect(full.address());
            });
            Gevent.idle();
            FullBacklog.assumePending(connector);
            assertTrue(connector.join(PROMPTLY), "the Timeout did not end the connect");
            assertSame(timeout, connector.exception());
            assertTrue(hub.join(PROMPTLY), "the connect ended by the Timeout is still registered in the loop");
        }
    }

    @Test
    void killInTheIterationThatCompletesAnAcceptClosesTheAcceptedConnection() throws Exception {
        Hub hub = Gevent.getHub();
        int rounds = 20;
        int raced = 0;
        try (ServerSocket server = listen()) {
            long before = OpenFileDescriptors.count();
            for (int i = 0; i < rounds; i++) {
                AtomicBoolean exited = new AtomicBoolean();
                Greenlet<Socket> acceptor = Gevent.spawn(() -> {
                    try {
                        return server.accept();
                    } catch (GreenletExit e) {
                        exited.set(true);
                        throw e;
                    }
                });
                Gevent.idle();
                try (java.net.Socket client = new java.net.Socket()) {
                    // A JDK connect on the hub's own thread: the kernel queues the connection while
                    // the loop stands still, so the loop's next poll completes the accept; the
                    // kill's timer, due before that poll, fires right after it in the same
                    // iteration, before the acceptor runs.
                    client.connect(server.localAddress());
                    hub.callLater(Duration.ZERO, () -> acceptor.killAsync(new GreenletExit()));
                    assertTrue(acceptor.join(PROMPTLY), "the acceptor was not killed");
                    assertTrue(exited.get(), () -> "the acceptor was not killed but returned " + acceptor.value());

                    // Either the connection was accepted and must have been closed, or the kill
                    // came first and the connection still waits for the next accept.
                    Greenlet<Socket> next = Gevent.spawn(() -> server.accept());
                    Greenlet<Integer> endOfStream = Gevent.spawn(() -> client.getInputStream().read());
                    Gevent.wait(List.of(next, endOfStream), PROMPTLY, 1);
                    if (next.dead()) {
                        next.get().close();
                    } else {
                        raced++;
                        next.kill();
                    }
                    assertEquals(-1, endOfStream.get(PROMPTLY),
                            "the connection accepted in the kill's iteration was neither closed nor left queued");
                }
            }
            Gevent.idle();
            long grown = OpenFileDescriptors.count() - before;
            assertTrue(grown < rounds / 2, () -> rounds + " rounds left " + grown + " more descriptors open");
        }
        int racedRounds = raced;
        assertTrue(racedRounds > 0, () -> "the accept never completed in the kill's iteration in " + rounds
                + " rounds: the race was not exercised");
    }

    private static void assertKilled(Greenlet<?> g) {
        assertTrue(g.dead(), () -> g + " is still alive after kill()");
        assertTrue(g.successful(), () -> g + " failed with " + g.exception() + " instead of dying of GreenletExit");
        assertNull(g.value(), () -> g + " returned " + g.value() + " instead of dying of GreenletExit");
    }

    /** Keeps the failures of greenlets that die of a Timeout on purpose off stderr. */
    private static void quietErrors() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
    }

    private static ServerSocket listen() throws IOException {
        return ServerSocket.bind(new InetSocketAddress(ConnectedPair.LOOPBACK, 0));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
