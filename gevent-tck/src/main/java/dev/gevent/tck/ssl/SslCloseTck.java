package dev.gevent.tck.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.tck.OpenFileDescriptors;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.ssl.SslSocket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ending a TLS connection (gevent: {@code SSLSocket.close}, {@code unwrap},
 * {@code suppress_ragged_eofs=True}): {@code close()} sends {@code close_notify} and the peer reads
 * the end of the stream; an end without {@code close_notify} reads as the end of the stream too,
 * but the session is no longer valid; {@code shutdownOutput()} half-closes, so the peer can still
 * answer; {@code close()} never waits for a peer that does not read, wakes greenlets blocked on the
 * socket, works from any thread and from a hub callback, and is idempotent; and connecting and
 * closing over and over leaks no file descriptor.
 */
@GeventTck
public class SslCloseTck {

    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @Test
    void closeSendsCloseNotifyAndThePeerReadsTheEndOfTheStream() throws Exception {
        try (TlsPair pair = handshaken()) {
            pair.client().close();
            assertEquals(-1, pair.server().read(ByteBuffer.allocate(10)));
            assertEquals(-1, pair.server().read(ByteBuffer.allocate(10)));
            assertTrue(pair.server().session().isValid());
        }
    }

    @Test
    void anEndWithoutCloseNotifyReadsAsTheEndOfTheStreamButInvalidatesTheSession() throws Exception {
        try (TlsPair pair = handshaken()) {
            pair.plain().client().close();
            assertEquals(-1, pair.server().read(ByteBuffer.allocate(10)));
            assertFalse(pair.server().session().isValid());
        }
    }

    @Test
    void afterAnEndWithoutCloseNotifyThisSideCanStillWrite() throws Exception {
        try (TlsPair pair = handshaken()) {
            pair.plain().client().shutdownOutput();
            assertEquals(-1, pair.server().read(ByteBuffer.allocate(10)));
            pair.server().sendAll("answer".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("answer".getBytes(StandardCharsets.US_ASCII), pair.client().recv(100));
        }
    }

    @Test
    void shutdownOutputLetsThePeerReadTheEndAndAnswer() throws Exception {
        try (TlsPair pair = handshaken()) {
            Greenlet<Void> server = Gevent.spawn(() -> {
                byte[] request = pair.server().inputStream().readAllBytes();
                String reply = "reply to " + new String(request, StandardCharsets.US_ASCII);
                pair.server().sendAll(reply.getBytes(StandardCharsets.US_ASCII));
                pair.server().close();
            });
            pair.client().sendAll("request".getBytes(StandardCharsets.US_ASCII));
            pair.client().shutdownOutput();
            assertEquals("reply to request", new String(pair.client().inputStream().readAllBytes(), StandardCharsets.US_ASCII));
            server.get();
        }
    }

    @Test
    void writingAfterShutdownOutputFails() throws Exception {
        try (TlsPair pair = handshaken()) {
            pair.client().shutdownOutput();
            assertThrows(SSLException.class, () -> pair.client().sendAll(new byte[] {1}));
            assertEquals(-1, pair.server().read(ByteBuffer.allocate(10)));
        }
    }

    @Test
    void closeDoesNotWaitForAPeerThatDoesNotRead() throws Exception {
        try (TlsPair pair = handshaken()) {
            SslSocket client = pair.client();
            client.setTimeout(Duration.ofMillis(200));
            // The server never reads: the socket buffers fill up and part of a record stays unsent.
            assertThrows(SocketTimeoutException.class, () -> client.sendAll(new byte[64 << 20]));
            client.setTimeout(null);
            long start = System.nanoTime();
            client.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(PROMPTLY) < 0, "close took " + took);
            assertFalse(client.isOpen());
        }
    }

    @Test
    void closeWakesAGreenletBlockedInARead() throws Exception {
        try (TlsPair pair = handshaken()) {
            Greenlet<byte[]> reading = Gevent.spawn(() -> pair.client().recv(100));
            Gevent.idle();
            pair.client().close();
            assertTrue(reading.join(PROMPTLY));
            assertInstanceOf(IOException.class, reading.exception());
        }
    }

    @Test
    void closeFromAnotherThreadWakesAGreenletBlockedInARead() throws Exception {
        try (TlsPair pair = handshaken()) {
            Greenlet<byte[]> reading = Gevent.spawn(() -> pair.client().recv(100));
            Gevent.idle();
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    pair.client().close();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(reading.join(PROMPTLY));
            assertInstanceOf(IOException.class, reading.exception());
            closer.join();
        }
    }

    @Test
    void closeFromAHubCallbackStillSendsCloseNotify() throws Exception {
        try (TlsPair pair = handshaken()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Gevent.getHub().callSoon(() -> {
                try {
                    pair.client().close();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            Gevent.sleep();
            assertNull(failure.get());
            assertFalse(pair.client().isOpen());
            assertEquals(-1, pair.server().read(ByteBuffer.allocate(10)));
            assertTrue(pair.server().session().isValid(), "the end came without close_notify");
        }
    }

    @Test
    void everyOperationAfterCloseFailsAndCloseAgainDoesNothing() throws Exception {
        try (TlsPair pair = handshaken()) {
            pair.client().close();
            pair.client().close();
            assertThrows(ClosedChannelException.class, () -> pair.client().recv(1));
            assertThrows(ClosedChannelException.class, () -> pair.client().sendAll(new byte[] {1}));
            assertThrows(ClosedChannelException.class, () -> pair.client().handshake());
            assertThrows(ClosedChannelException.class, () -> pair.client().shutdownOutput());
        }
    }

    @Test
    @Timeout(120)
    void twoHundredConnectAndCloseCyclesLeakNoFileDescriptor() throws Exception {
        // Warm up: the JDK opens some descriptors once (entropy, class path) on first TLS use.
        cycles(20);
        long before = OpenFileDescriptors.count();
        cycles(200);
        long after = OpenFileDescriptors.count();
        assertTrue(after - before <= 4, "descriptors before: " + before + ", after 200 cycles: " + after);
    }

    private static void cycles(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            try (TlsPair pair = TlsPair.open()) {
                Greenlet<Long> echo = Echo.serve(pair.server());
                pair.client().sendAll(new byte[] {(byte) i});
                assertArrayEquals(new byte[] {(byte) i}, pair.client().recv(1));
                pair.client().close();
                assertEquals(1, echo.get());
            }
        }
    }


    private static TlsPair handshaken() throws Exception {
        TlsPair pair = TlsPair.open();
        try {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            pair.client().handshake();
            server.get();
            return pair;
        } catch (Throwable e) {
            pair.close();
            throw e;
        }
    }
}
