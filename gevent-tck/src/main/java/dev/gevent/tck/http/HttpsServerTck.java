package dev.gevent.tck.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import dev.gevent.event.AsyncResult;
import dev.gevent.http.HttpsServer;
import dev.gevent.socket.Socket;
import dev.gevent.ssl.SslSocket;
import dev.gevent.tck.GeventTck;
import dev.gevent.tck.ssl.SelfSignedCertificate;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The HTTPS server: TLS from the configurator's context, the handshake in the connection's
 * greenlet, handlers given an {@link HttpsExchange} with the TLS session, keep-alive over TLS.
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
}
