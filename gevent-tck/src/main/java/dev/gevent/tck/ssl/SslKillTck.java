package dev.gevent.tck.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Timeout;
import dev.gevent.ssl.SslSocket;
import dev.gevent.tck.GeventTck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Kills and {@code Timeout}s on TLS sockets (gevent: {@code Greenlet.kill} and
 * {@code gevent.Timeout} around {@code SSLSocket} calls): a greenlet killed in the middle of a
 * handshake or of a read leaves nothing registered in the loop (the hub has nothing left to do),
 * and the connection carries on: the handshake resumes and the next read gets the data.
 */
@GeventTck
public class SslKillTck {

    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @Test
    void aKillDuringTheHandshakeLeavesTheLoopCleanAndTheHandshakeResumes() throws Exception {
        try (PlainPair plain = PlainPair.open()) {
            SslSocket client = SslSocket.client(plain.client(), SelfSignedCertificate.get().clientContext(), "localhost");
            Greenlet<Void> handshaking = Gevent.spawn(client::handshake);
            Gevent.idle();
            handshaking.kill();
            assertTrue(handshaking.successful());
            assertTrue(Gevent.getHub().join(PROMPTLY), "the killed handshake left an operation in the loop");

            SslSocket server = SslSocket.server(plain.server(), SelfSignedCertificate.get().serverContext());
            Greenlet<Void> serverSide = Gevent.spawn(server::handshake);
            client.handshake();
            serverSide.get();
            assertEquals("TLSv1.3", client.session().getProtocol());
        }
    }

    @Test
    void aKillDuringAReadLeavesTheLoopCleanAndTheNextReadGetsTheData() throws Exception {
        try (TlsPair pair = TlsPair.open()) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            pair.client().handshake();
            server.get();
            Greenlet<byte[]> reading = Gevent.spawn(() -> pair.client().recv(100));
            Gevent.idle();
            reading.kill();
            assertTrue(Gevent.getHub().join(PROMPTLY), "the killed read left an operation in the loop");

            pair.server().sendAll("after the kill".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("after the kill".getBytes(StandardCharsets.US_ASCII), pair.client().recv(100));
        }
    }

    @Test
    void aTimeoutAroundAReadLeavesTheConnectionUsable() throws Exception {
        try (TlsPair pair = TlsPair.open()) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            pair.client().handshake();
            server.get();
            Timeout timeout = Timeout.startNew(Duration.ofMillis(100));
            try {
                Timeout raised = assertThrows(Timeout.class, () -> pair.client().recv(100));
                assertSame(timeout, raised);
            } finally {
                timeout.cancel();
            }
            Greenlet<Long> echo = Echo.serve(pair.server());
            pair.client().sendAll("still here".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("still here".getBytes(StandardCharsets.US_ASCII), pair.client().recv(100));
            pair.client().shutdownOutput();
            assertEquals(10, echo.get());
        }
    }
}
