package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code httpserver} example on a hub of its own thread, asked by the JDK's HttpClient from a plain thread. */
class HttpHelloServerTest {
    private HubThread hub;
    private LogCapture log;

    @BeforeEach
    void startHub() throws Exception {
        hub = new HubThread("httpserver");
        log = new LogCapture();
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    @Timeout(30)
    void answersEveryRequestWithHelloWorldOnKeptAliveConnections() throws Exception {
        HttpServer server = hub.call(() -> HttpHelloServer.start(0, log.stream()));
        int port = server.getAddress().getPort();
        assertTrue(log.lines().getFirst().startsWith("httpserver: listening on 127.0.0.1:" + port + " "), log.lines()::toString);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (String path : List.of("/", "/any/path?x=1", "/favicon.ico")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertHello(r);
            }
        }
        hub.call(() -> {
            server.stop(0);
            return null;
        });
        assertEquals(List.of(), hub.errors());
    }

    /** Asserts that {@code r} is the hello example's answer; also the {@code httpsserver} test's check. */
    static void assertHello(HttpResponse<String> r) {
        assertEquals(200, r.statusCode());
        assertEquals("Hello, World!", r.body());
        assertEquals("text/plain", r.headers().firstValue("Content-Type").orElseThrow());
    }
}
