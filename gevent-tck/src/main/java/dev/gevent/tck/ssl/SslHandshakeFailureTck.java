package dev.gevent.tck.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.ssl.SslSocket;
import dev.gevent.tck.GeventTck;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * How a TLS handshake fails (gevent: {@code SSLError}, {@code CertificateError},
 * {@code socket.timeout} from {@code do_handshake}): an untrusted certificate and a certificate
 * for another host fail with {@link SSLHandshakeException} on the client, which tells the server
 * with an alert, and fail again if retried; a peer that never answers runs into the socket's
 * timeout, after which the handshake can be resumed; a peer that ends the connection, or that
 * does not speak TLS, fails it with an {@link SSLException}.
 */
@GeventTck
public class SslHandshakeFailureTck {

    private static final Duration SHORT = Duration.ofMillis(200);
    /** Far above SHORT: a wait that ended this fast did not sit out a missing timeout. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @Test
    void aClientWithDefaultTrustRejectsTheSelfSignedCertificate() throws Exception {
        try (TlsPair pair = TlsPair.open(SSLContext.getDefault(), "localhost")) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            assertThrows(SSLHandshakeException.class, () -> pair.client().handshake());
            // The client is still open: only its alert can end the server's handshake.
            assertTrue(server.join(PROMPTLY), "the server did not learn of the failure from an alert");
            assertInstanceOf(SSLException.class, server.exception());
        }
    }

    @Test
    void aCertificateForAnotherHostFailsTheHandshake() throws Exception {
        try (TlsPair pair = TlsPair.open(SelfSignedCertificate.get().clientContext(), "wrong.example")) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            assertThrows(SSLHandshakeException.class, () -> pair.client().handshake());
            assertTrue(server.join(PROMPTLY));
            assertInstanceOf(SSLException.class, server.exception());
        }
    }

    @Test
    void anIpAddressTheCertificateNamesIsAccepted() throws Exception {
        try (TlsPair pair = TlsPair.open(SelfSignedCertificate.get().clientContext(), "127.0.0.1")) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            pair.client().handshake();
            server.get();
        }
    }

    @Test
    void aFailedHandshakeFailsAgainWhenRetriedAndSoDoReadsAndWrites() throws Exception {
        try (TlsPair pair = TlsPair.open(SSLContext.getDefault(), "localhost")) {
            Greenlet<Void> server = Gevent.spawn(() -> pair.server().handshake());
            assertThrows(SSLHandshakeException.class, () -> pair.client().handshake());
            assertTrue(server.join(PROMPTLY));
            assertThrows(SSLHandshakeException.class, () -> pair.client().handshake());
            assertThrows(SSLHandshakeException.class, () -> pair.client().recv(1));
            assertThrows(SSLHandshakeException.class, () -> pair.client().sendAll(new byte[] {1}));
        }
    }

    @Test
    void aPeerThatNeverAnswersTheHandshakeRunsIntoTheTimeout() throws Exception {
        try (PlainPair plain = PlainPair.open()) {
            SslSocket client = SslSocket.client(plain.client(), SelfSignedCertificate.get().clientContext(), "localhost");
            client.setTimeout(SHORT);
            long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, client::handshake);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(waited.compareTo(PROMPTLY) < 0, "waited " + waited);
        }
    }

    @Test
    void aHandshakeThatTimedOutResumesWhenThePeerAnswers() throws Exception {
        try (PlainPair plain = PlainPair.open()) {
            SslSocket client = SslSocket.client(plain.client(), SelfSignedCertificate.get().clientContext(), "localhost");
            client.setTimeout(SHORT);
            assertThrows(SocketTimeoutException.class, client::handshake);
            // The server starts late: its ClientHello has waited in the socket all along.
            SslSocket server = SslSocket.server(plain.server(), SelfSignedCertificate.get().serverContext());
            Greenlet<byte[]> received = Gevent.spawn(() -> server.recv(100));
            client.setTimeout(null);
            client.sendAll("late".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("late".getBytes(StandardCharsets.US_ASCII), received.get());
        }
    }

    @Test
    void aPeerThatEndsTheConnectionDuringTheHandshakeFailsIt() throws Exception {
        try (PlainPair plain = PlainPair.open()) {
            SslSocket client = SslSocket.client(plain.client(), SelfSignedCertificate.get().clientContext(), "localhost");
            Greenlet<Void> peer = Gevent.spawn(() -> {
                plain.server().recv(1);
                plain.server().shutdownOutput();
            });
            assertThrows(SSLHandshakeException.class, client::handshake);
            peer.get();
        }
    }

    @Test
    void aPeerThatDoesNotSpeakTlsFailsTheHandshake() throws Exception {
        try (PlainPair plain = PlainPair.open()) {
            SslSocket client = SslSocket.client(plain.client(), SelfSignedCertificate.get().clientContext(), "localhost");
            plain.server().sendAll("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThrows(SSLException.class, client::handshake);
        }
    }
}
