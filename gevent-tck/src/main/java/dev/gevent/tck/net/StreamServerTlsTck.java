package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.event.AsyncResult;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.Socket;
import dev.gevent.socket.StreamSocket;
import dev.gevent.ssl.SslSocket;
import dev.gevent.tck.GeventTck;
import dev.gevent.tck.ssl.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code gevent.server.StreamServer} with an SSL context ({@code StreamServer(..., ssl_context=)}):
 * each connection reaches its handler as a TLS socket, over which the cooperative
 * {@link SslSocket} and the JDK's {@link SSLSocket} in a greenlet both talk to it. The handshake
 * runs in the connection's own greenlet, so a client that never sends its hello holds up nothing
 * but its own connection, and a failed handshake is reported like any handler's failure.
 *
 * <p>The handshakes run on the test's one hub thread, cold code and public-key arithmetic on both
 * ends, hence a longer time limit than usual.
 */
@GeventTck
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class StreamServerTlsTck {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(Loopback.IPV4, 0);
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** A name the test certificate holds, for the client's host name check. */
    private static final String HOST = "localhost";

    @Test
    void anSslSocketClientEchoesThroughATlsServer() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.get();
        try (StreamServer server = new StreamServer(ANY_PORT, new EchoHandler()).ssl(certificate.serverContext())) {
            server.start();
            for (int i = 0; i < 3; i++) {
                try (SslSocket client = SslSocket.client(Socket.connect(server.address()), certificate.clientContext(), HOST)) {
                    EchoHandler.expectEcho(client, "over TLS " + i);
                }
            }
        }
    }

    @Test
    void aJdkSslSocketInAGreenletEchoesThroughATlsServer() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.get();
        try (StreamServer server = new StreamServer(ANY_PORT, new EchoHandler()).ssl(certificate.serverContext())) {
            server.start();
            int port = server.address().getPort();
            Greenlet<String> client = Gevent.spawn(() -> {
                byte[] message = "from the JDK's SSLSocket".getBytes(StandardCharsets.UTF_8);
                try (SSLSocket socket = (SSLSocket) certificate.clientContext().getSocketFactory()
                        .createSocket(Loopback.IPV4, port)) {
                    socket.getOutputStream().write(message);
                    socket.getOutputStream().flush();
                    assertArrayEquals(message, socket.getInputStream().readNBytes(message.length));
                    return socket.getSession().getProtocol();
                }
            });
            assertTrue(client.get(PROMPTLY).startsWith("TLS"), () -> "negotiated " + client.value());
        }
    }

    @Test
    void theHandlerGetsAnSslSocketThatSpeaksTheNegotiatedProtocol() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.get();
        AsyncResult<StreamSocket> served = new AsyncResult<>();
        AsyncResult<SocketAddress> peer = new AsyncResult<>();
        AsyncResult<String> protocol = new AsyncResult<>();
        try (StreamServer server = new StreamServer(ANY_PORT, (socket, address) -> {
            served.set(socket);
            peer.set(address);
            byte[] first = socket.recv(1);
            protocol.set(((SslSocket) socket).session().getProtocol());
            socket.sendAll(first);
            EchoHandler.echo(socket);
        }).ssl(certificate.serverContext())) {
            server.start();
            try (SslSocket client = SslSocket.client(Socket.connect(server.address()), certificate.clientContext(), HOST)) {
                EchoHandler.expectEcho(client, "handshaken");
                assertInstanceOf(SslSocket.class, served.get(PROMPTLY));
                assertEquals(client.localAddress(), peer.get());
                assertEquals(client.session().getProtocol(), protocol.get());
            }
        }
    }

    @Test
    void aClientThatNeverSendsItsHelloDoesNotHoldUpOtherClients() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.get();
        AsyncResult<Throwable> reported = new AsyncResult<>();
        Gevent.getHub().setErrorHandler((context, error) -> reported.set(error));
        try (StreamServer server = new StreamServer(ANY_PORT, new EchoHandler()).ssl(certificate.serverContext())) {
            server.start();
            try (Socket silent = Socket.connect(server.address())) {
                for (int i = 0; i < 3; i++) {
                    try (SslSocket client = SslSocket.client(Socket.connect(server.address()), certificate.clientContext(), HOST)) {
                        // A server that handshakes in its accept loop fails here, not at the test's time limit.
                        client.setTimeout(PROMPTLY);
                        EchoHandler.expectEcho(client, "while another client is silent " + i);
                    }
                }
                assertFalse(reported.ready(), () -> "a connection failed: " + reported.value());
            }
            assertInstanceOf(SSLException.class, reported.get(PROMPTLY),
                    "a connection that ended during its handshake fails its handler");
        }
    }
}
