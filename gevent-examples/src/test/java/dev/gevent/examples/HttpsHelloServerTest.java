package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.http.HttpsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code httpsserver} example on a hub of its own thread with a key store made by the JDK's
 * {@code keytool}, asked by the JDK's HttpClient with a TLS context that trusts that certificate.
 */
class HttpsHelloServerTest {
    @TempDir
    static Path dir;
    private static Path keyStore;

    @BeforeAll
    static void makeKeyStore() throws Exception {
        keyStore = TestKeyStore.make(dir);
    }

    @Test
    @Timeout(30)
    void answersHelloWorldOverTlsToAClientThatTrustsTheCertificate() throws Exception {
        SslEchoServer.Options options = SslEchoServer.parse(new String[] {"0", keyStore.toString(), TestKeyStore.PASSWORD});
        SSLContext serverContext = SslEchoServer.serverContext(options.keyStore(), options.password());
        LogCapture log = new LogCapture();
        try (HubThread hub = new HubThread("httpsserver")) {
            HttpsServer server = hub.call(() -> HttpsHelloServer.start(options.port(), serverContext, log.stream()));
            int port = server.getAddress().getPort();
            assertTrue(log.lines().getFirst().startsWith("httpsserver: listening on 127.0.0.1:" + port + " "), log.lines()::toString);
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(TestKeyStore.clientContext(keyStore)).build()) {
                for (String path : List.of("/", "/any/path?x=1")) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    HttpHelloServerTest.assertHello(r);
                    assertTrue(r.sslSession().orElseThrow().getProtocol().startsWith("TLS"));
                }
            }
            try (HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                assertThrows(SSLHandshakeException.class, () -> untrusting.send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            hub.call(() -> {
                server.stop(0);
                return null;
            });
            assertEquals(List.of(), hub.errors());
        }
    }
}
