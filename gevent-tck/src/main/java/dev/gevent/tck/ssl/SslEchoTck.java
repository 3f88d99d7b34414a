package dev.gevent.tck.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.tck.GeventTck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code gevent.ssl.SSLSocket} carrying data (gevent's {@code recv}/{@code sendall} on an
 * {@code SSLSocket}): a TLS client and server in one hub echo every size from one byte to 4 MiB
 * while one greenlet writes and another reads the same socket; the handshake runs when
 * {@code handshake()} ({@code do_handshake}) is called or on the first read or write, and once
 * done, calling it again does nothing; the session reports the negotiated protocol, cipher suite
 * and certificate; buffered data is read without waiting; the streams
 * ({@code makefile}) work; two readers at once are an error.
 */
@GeventTck
public class SslEchoTck {

    @ParameterizedTest
    @ValueSource(ints = {1, 1000, 16 * 1024, 16 * 1024 + 1, 100_000, 1 << 20, 4 << 20})
    void echoesEverySizeWhileOneGreenletWritesAndAnotherReads(int size) throws Exception {
        try (TlsPair pair = TlsPair.open()) {
            Greenlet<Long> echo = Echo.serve(pair.server());
            byte[] data = Echo.data(size);
            // The large sizes exceed the socket buffers: without full duplex the writer and the echo would stall.
            Greenlet<Void> writer = Gevent.spawn(() -> {
                pair.client().sendAll(data);
                pair.client().shutdownOutput();
            });
            byte[] echoed = pair.client().inputStream().readAllBytes();
            writer.get();
            assertEquals(size, echo.get());
            assertArrayEquals(data, echoed);
        }
    }

    @Test
    void handshakeRunsWhenCalledAndThenDataFlows() throws Exception {
        try (TlsPair pair = TlsPair.open()) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            pair.client().handshake();
            server.get();
            assertEquals("TLSv1.3", pair.client().session().getProtocol());
            Greenlet<Long> echo = Echo.serve(pair.server());
            pair.client().sendAll("ping".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), pair.client().recv(100));
            pair.client().close();
            assertEquals(4, echo.get());
        }
    }

    @Test
    void theFirstWriteAndTheFirstReadRunTheHandshake() throws Exception {
        try (TlsPair pair = TlsPair.open()) {
            assertEquals("SSL_NULL_WITH_NULL_NULL", pair.client().session().getCipherSuite());
            Greenlet<byte[]> server = Gevent.spawn(() -> pair.server().recv(100));
            pair.client().sendAll("hello".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), server.get());
            assertNotEquals("SSL_NULL_WITH_NULL_NULL", pair.client().session().getCipherSuite());
            assertNotEquals("SSL_NULL_WITH_NULL_NULL", pair.server().session().getCipherSuite());
        }
    }

    @Test
    void handshakeAgainReturnsAtOnceWithoutThePeer() throws Exception {
        try (TlsPair pair = TlsPair.open()) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            pair.client().handshake();
            server.get();
            SSLSession session = pair.client().session();
            // The server does nothing now: a second handshake that talked to it would time out.
            pair.client().setTimeout(Duration.ofMillis(100));
            pair.client().handshake();
            pair.client().handshake();
            assertSame(session, pair.client().session());
            pair.server().handshake();
            Greenlet<byte[]> reader = Gevent.spawn(() -> pair.server().recv(10));
            pair.client().sendAll(new byte[] {42});
            assertArrayEquals(new byte[] {42}, reader.get());
        }
    }

    @Test
    void sessionReportsTheNegotiatedProtocolCipherSuiteAndCertificate() throws Exception {
        try (TlsPair pair = TlsPair.open()) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            pair.client().handshake();
            server.get();
            SSLSession atClient = pair.client().session();
            SSLSession atServer = pair.server().session();
            assertEquals("TLSv1.3", atClient.getProtocol());
            assertEquals(atClient.getProtocol(), atServer.getProtocol());
            assertEquals(atClient.getCipherSuite(), atServer.getCipherSuite());
            assertTrue(atClient.getCipherSuite().startsWith("TLS_"), atClient.getCipherSuite());
            assertEquals(SelfSignedCertificate.get().certificate(), atClient.getPeerCertificates()[0]);
            assertTrue(atClient.isValid());
        }
    }

    @Test
    void readReturnsWhatIsBufferedBeforeWaitingForMore() throws Exception {
        try (TlsPair pair = TlsPair.open()) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().sendAll("0123456789".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer small = ByteBuffer.allocate(4);
            StringBuilder got = new StringBuilder();
            // One record of 10 bytes, read 4 at a time: the last two reads come from the socket's buffer.
            for (int expected : new int[] {4, 4, 2}) {
                assertEquals(expected, pair.client().read(small.clear()));
                got.append(StandardCharsets.US_ASCII.decode(small.flip()));
            }
            assertEquals("0123456789", got.toString());
            server.get();
        }
    }

    @Test
    void inputAndOutputStreamsCarryLines() throws Exception {
        try (TlsPair pair = TlsPair.open()) {
            Greenlet<Long> echo = Echo.serve(pair.server());
            // In a greenlet: BufferedReader blocks inside synchronized, which the hub's own thread must not do.
            Greenlet<Void> client = Gevent.spawn(() -> {
                OutputStream out = pair.client().outputStream();
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(pair.client().inputStream(), StandardCharsets.UTF_8));
                for (int i = 0; i < 3; i++) {
                    out.write(("line " + i + " é\n").getBytes(StandardCharsets.UTF_8));
                    assertEquals("line " + i + " é", in.readLine());
                }
                assertSame(out, pair.client().outputStream());
                out.close();
            });
            client.get();
            assertEquals(3 * "line 0 é\n".getBytes(StandardCharsets.UTF_8).length, echo.get());
        }
    }

    @Test
    void twoGreenletsReadingAtOnceIsAnError() throws Exception {
        try (TlsPair pair = TlsPair.open()) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            pair.client().handshake();
            server.get();
            Greenlet<byte[]> first = Gevent.spawn(() -> pair.client().recv(10));
            Gevent.sleep();
            assertThrows(IllegalStateException.class, () -> pair.client().recv(10));
            pair.server().sendAll(new byte[] {7});
            assertArrayEquals(new byte[] {7}, first.get());
        }
    }
}
