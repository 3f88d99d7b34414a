package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.event.Event;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Socket timeouts (gevent: {@code socket.settimeout}, {@code create_connection(timeout=)}): a
 * read, a write on a full buffer, an accept or a connect that waits longer than the socket's
 * timeout raises {@link SocketTimeoutException}; {@code writeFully} (gevent {@code sendall}) is
 * bounded as a whole, not write by write; the operation that timed out is withdrawn, so the socket
 * stays usable and no byte is lost or doubled; {@code setTimeout(null)} removes the bound and a
 * negative timeout is refused; a timeout that never fired leaves no timer to keep the hub busy.
 */
@GeventTck
public class SocketTimeoutTck {
    private static final Duration SHORT = Duration.ofMillis(50);
    /** A socket timeout that must never fire: the tests end long before it. */
    private static final Duration LONG = Duration.ofSeconds(60);
    /** Far below LONG: a wait that ended this fast did not sit out a forgotten timer. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @Test
    void readTimesOutAndTheSocketStaysUsable() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            pair.client().setTimeout(SHORT);
            assertThrows(SocketTimeoutException.class, () -> pair.client().read(ByteBuffer.allocate(8)));
            pair.server().sendAll(bytes("after"));
            assertArrayEquals(bytes("after"), pair.client().recv(8), "the read after the timeout");
        }
    }

    @Test
    void aTimedOutReadIsWithdrawnSoTheDataThatArrivesLaterGoesToTheNextRead() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            pair.client().setTimeout(SHORT);
            ByteBuffer abandoned = ByteBuffer.allocate(8);
            assertThrows(SocketTimeoutException.class, () -> pair.client().read(abandoned));
            pair.client().setTimeout(null);
            Greenlet<byte[]> reader = Gevent.spawn(() -> pair.client().recv(8));
            Gevent.idle();
            pair.server().sendAll(bytes("late"));
            assertArrayEquals(bytes("late"), reader.get(PROMPTLY));
            assertEquals(0, abandoned.position(), "the read that timed out still put bytes in its buffer");
        }
    }

    @Test
    void writeOnAFullBufferTimesOutHavingWrittenNothingAndTheSocketStaysUsable() throws IOException {
        try (ConnectedPair pair = ConnectedPair.choked();
                Timeout guard = Timeout.startNew(PROMPTLY)) {
            Socket client = pair.client();
            client.setTimeout(SHORT);
            long written = 0;
            ByteBuffer chunk;
            while (true) {
                chunk = StreamPattern.bytes(written, 16 * 1024);
                try {
                    written += client.write(chunk);
                } catch (SocketTimeoutException e) {
                    break;
                }
            }
            assertEquals(0, chunk.position(), "the write that timed out moved its buffer");
            Greenlet<Long> drain = Gevent.spawn(() -> StreamPattern.drain(pair.server()));
            client.setTimeout(null);
            client.writeFully(StreamPattern.bytes(written, 1000));
            client.shutdownOutput();
            assertEquals(written + 1000, drain.get(), "bytes the peer received: those written, then those after the timeout");
        }
    }

    @Test
    void writeFullyTimesOutWhenThePeerStopsReadingAndItsBufferTellsHowMuchWasWritten() throws IOException {
        try (ConnectedPair pair = ConnectedPair.choked();
                Timeout guard = Timeout.startNew(PROMPTLY)) {
            Socket client = pair.client();
            client.setTimeout(SHORT);
            ByteBuffer data = StreamPattern.bytes(0, ConnectedPair.MORE_THAN_BUFFERED);
            assertThrows(SocketTimeoutException.class, () -> client.writeFully(data));
            assertTrue(data.hasRemaining(), "writeFully wrote all though the peer read nothing");
            long written = data.position();
            Greenlet<Long> drain = Gevent.spawn(() -> StreamPattern.drain(pair.server()));
            client.setTimeout(null);
            client.writeFully(data);
            client.shutdownOutput();
            assertEquals(ConnectedPair.MORE_THAN_BUFFERED, drain.get(), "bytes the peer received");
            assertTrue(written > 0, "writeFully wrote nothing before the buffers were full");
        }
    }

    @Test
    void theTimeoutOfWriteFullyBoundsTheWholeCallNotEachWrite() throws IOException {
        // The peer reads slowly but steadily: each write waits far less than the timeout, while
        // all of them together would take far longer than the guard.
        Duration timeout = Duration.ofMillis(500);
        int size = 8 << 20;
        try (ConnectedPair pair = ConnectedPair.choked()) {
            Event hurry = new Event();
            Greenlet<Long> slowReader = Gevent.spawn(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                long offset = 0;
                while (pair.server().read(buffer.clear()) >= 0) {
                    offset = StreamPattern.check(offset, buffer.flip());
                    if (!hurry.isSet()) {
                        Gevent.sleep(Duration.ofMillis(10));
                    }
                }
                return offset;
            });
            Socket client = pair.client();
            client.setTimeout(timeout);
            ByteBuffer data = StreamPattern.bytes(0, size);
            long start = System.nanoTime();
            try (Timeout guard = Timeout.startNew(Duration.ofSeconds(8))) {
                assertThrows(SocketTimeoutException.class, () -> client.writeFully(data));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(timeout) >= 0, () -> "writeFully gave up after " + took + ", before its timeout");
            assertTrue(data.hasRemaining(), "the slow reader took everything");
            hurry.set();
            client.shutdownOutput();
            assertEquals(data.position(), slowReader.get(PROMPTLY), "bytes the peer received: those writeFully wrote");
        }
    }

    @Test
    void acceptTimesOutAndTheListenerStaysUsable() throws IOException {
        try (ServerSocket server = listen()) {
            server.setTimeout(SHORT);
            assertThrows(SocketTimeoutException.class, server::accept);
            try (Socket client = Socket.connect(server.localAddress()); Socket accepted = server.accept()) {
                assertEquals(client.localAddress(), accepted.remoteAddress());
            }
        }
    }

    @Test
    void connectTimesOutAndLeavesNothingPending() throws IOException {
        quietErrors();
        Hub hub = Gevent.getHub();
        try (FullBacklog full = FullBacklog.open()) {
            Greenlet<Socket> connector = Gevent.spawn(() -> Socket.connect(full.address(), Duration.ofMillis(200)));
            Gevent.idle();
            FullBacklog.assumePending(connector);
            assertTrue(connector.join(PROMPTLY), "the connect did not time out");
            assertTrue(connector.exception() instanceof SocketTimeoutException,
                    () -> "the connect ended with " + (connector.successful() ? connector.value() : connector.exception()));
            // The withdrawn connect's SYN retransmissions would keep the loop busy for minutes.
            assertTrue(hub.join(PROMPTLY), "the connect that timed out is still registered in the loop");
        }
    }

    @Test
    void setTimeoutNullRemovesTheTimeout() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            Socket client = pair.client();
            client.setTimeout(SHORT);
            assertEquals(SHORT, client.timeout());
            client.setTimeout(null);
            assertNull(client.timeout());
            Greenlet<byte[]> reader = Gevent.spawn(() -> client.recv(8));
            assertFalse(reader.join(SHORT.multipliedBy(6)), "the read gave up although the timeout was removed");
            pair.server().sendAll(bytes("late"));
            assertArrayEquals(bytes("late"), reader.get(PROMPTLY));
        }
    }

    @Test
    void negativeTimeoutsAreRefused() throws IOException {
        Duration negative = Duration.ofMillis(-1);
        try (ConnectedPair pair = ConnectedPair.open(); ServerSocket server = listen()) {
            assertThrows(IllegalArgumentException.class, () -> pair.client().setTimeout(negative));
            assertThrows(IllegalArgumentException.class, () -> server.setTimeout(negative));
            assertThrows(IllegalArgumentException.class, () -> Socket.connect(server.localAddress(), negative));
            assertNull(pair.client().timeout(), "a refused timeout was kept");
        }
    }

    @Test
    void zeroTimeoutFailsAReadThatWouldWaitAndTheSocketStaysUsable() throws IOException {
        try (ConnectedPair pair = ConnectedPair.open()) {
            pair.client().setTimeout(Duration.ZERO);
            assertThrows(SocketTimeoutException.class, () -> pair.client().read(ByteBuffer.allocate(8)));
            pair.server().sendAll(bytes("now"));
            pair.client().setTimeout(null);
            assertArrayEquals(bytes("now"), pair.client().recv(8));
        }
    }

    @Test
    void timeoutsThatDidNotFireLeaveNoTimerBehind() throws IOException {
        Hub hub = Gevent.getHub();
        try (ServerSocket server = listen()) {
            server.setTimeout(LONG);
            Greenlet<Socket> acceptor = Gevent.spawn(() -> server.accept());
            try (Socket client = Socket.connect(server.localAddress(), LONG); Socket accepted = acceptor.get()) {
                client.setTimeout(LONG);
                accepted.setTimeout(LONG);
                Greenlet<byte[]> reader = Gevent.spawn(() -> client.recv(4));
                Gevent.idle();
                accepted.sendAll(bytes("data"));
                accepted.write(ByteBuffer.wrap(bytes("more")));
                assertArrayEquals(bytes("data"), reader.get());
                assertArrayEquals(bytes("more"), client.recv(8));
                // A timer of LONG left armed by any of them would keep join() from returning.
                assertTrue(hub.join(PROMPTLY), "an operation that finished left its timeout armed");
            }
        }
    }

    /** Keeps the failures of greenlets that time out on purpose off stderr. */
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
