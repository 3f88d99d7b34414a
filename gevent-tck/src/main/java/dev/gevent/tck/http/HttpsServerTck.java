package dev.gevent.tck.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import dev.gevent.event.AsyncResult;
import dev.gevent.http.HttpsServer;
import dev.gevent.socket.Socket;
import dev.gevent.ssl.SslSocket;
import dev.gevent.tck.GeventTck;
import dev.gevent.tck.ssl.SelfSignedCertificate;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * The HTTPS server: TLS from the configurator's context, each connection's parameters from its
 * {@code configure}, the handshake in the connection's greenlet, handlers given an
 * {@link HttpsExchange} with the TLS session, keep-alive over TLS.
 */
@GeventTck
public class HttpsServerTck {

    @Test
    void servesKeptAliveRequestsOverTlsWithTheSessionInTheExchange() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.get();
        AsyncResult<String> protocol = new AsyncResult<>();
        HttpsServer server = HttpsServer.create(Servers.ANY_PORT, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        server.createContext("/", exchange -> {
            HttpsExchange secure = assertInstanceOf(HttpsExchange.class, exchange);
            protocol.set(secure.getSSLSession().getProtocol());
            Servers.echo(exchange);
        });
        server.start();
        try (SslSocket client = SslSocket.client(Socket.connect(server.getAddress()), certificate.clientContext(), "localhost")) {
            InputStream in = new BufferedInputStream(client.inputStream());
            for (int i = 0; i < 3; i++) {
                String request = "POST /tls" + i + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n\r\nsecret";
                client.writeFully(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
                Wire.Response r = Wire.read(in, false);
                assertEquals(200, r.status());
                assertEquals("POST /tls" + i + " secret", r.text());
            }
            assertEquals(client.session().getProtocol(), protocol.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void overTlsAResponseGoesOutWhileALaterPipelinedHandlerWaitsForItsBody() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.get();
        HttpsServer server = HttpsServer.create(Servers.ANY_PORT, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        server.createContext("/", Servers::echo);
        server.start();
        try (SslSocket client = SslSocket.client(Socket.connect(server.getAddress()), certificate.clientContext(), "localhost")) {
            client.setTimeout(Duration.ofSeconds(5));
            InputStream in = new BufferedInputStream(client.inputStream());
            // the server's connection reads the second body (TLS) while the first response is written
            client.writeFully(ByteBuffer.wrap(("GET /first HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "POST /second HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals("GET /first ", Wire.read(in, false).text());
            client.writeFully(ByteBuffer.wrap("body".getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals("POST /second body", Wire.read(in, false).text());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void eachConnectionsTlsParametersComeFromTheConfigurator() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.get();
        AtomicBoolean requireClientCertificate = new AtomicBoolean(true);
        AsyncResult<InetSocketAddress> asked = new AsyncResult<>();
        HttpsServer server = HttpsServer.create(Servers.ANY_PORT, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()) {
            @Override
            public void configure(HttpsParameters params) {
                asked.set(params.getClientAddress());
                SSLParameters tls = getSSLContext().getDefaultSSLParameters();
                tls.setNeedClientAuth(requireClientCertificate.get());
                params.setSSLParameters(tls);
            }
        });
        server.createContext("/", Servers::echo);
        server.start();
        try {
            try (SslSocket client = SslSocket.client(Socket.connect(server.getAddress()), certificate.clientContext(), "localhost")) {
                assertThrows(IOException.class, () -> {
                    client.writeFully(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
                    Wire.read(new BufferedInputStream(client.inputStream()), false);
                }, "the client has no certificate to present");
                assertEquals(client.localAddress(), asked.get());
            }
            requireClientCertificate.set(false);
            try (SslSocket client = SslSocket.client(Socket.connect(server.getAddress()), certificate.clientContext(), "localhost")) {
                client.writeFully(ByteBuffer.wrap("GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
                assertEquals("GET /ok ", Wire.read(new BufferedInputStream(client.inputStream()), false).text());
            }
        } finally {
            server.stop(0);
        }
    }
}
