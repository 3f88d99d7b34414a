package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

/** The {@code http_json} example: create, list, get and delete items; bad bodies, methods and ids. */
class JsonApiServerTest {
    private HubThread hub;
    private HttpClient client;
    private String base;

    @BeforeEach
    void start() throws Exception {
        hub = new HubThread("http_json");
        HttpServer server = hub.call(() -> JsonApiServer.start(0, new LogCapture().stream()));
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        client.close();
        hub.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Timeout(30)
    void createsListsGetsAndDeletesItems() throws Exception {
        HttpResponse<String> created = send("POST", "/todos", "{\"title\": \"write \\\"docs\\\"\", \"done\": false}");
        assertEquals(201, created.statusCode());
        assertEquals("{\"id\":1,\"title\":\"write \\\"docs\\\"\"}", created.body());
        assertEquals("application/json", created.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(201, send("POST", "/todos", "{\"title\":\"test\"}").statusCode());
        assertEquals("[{\"id\":1,\"title\":\"write \\\"docs\\\"\"},{\"id\":2,\"title\":\"test\"}]", send("GET", "/todos", null).body());
        assertEquals("{\"id\":2,\"title\":\"test\"}", send("GET", "/todos/2", null).body());
        assertEquals(204, send("DELETE", "/todos/1", null).statusCode());
        assertEquals(404, send("GET", "/todos/1", null).statusCode());
        assertEquals("[{\"id\":2,\"title\":\"test\"}]", send("GET", "/todos", null).body());
        assertEquals(List.of(), hub.errors());
    }

    @Test
    @Timeout(30)
    void refusesBadBodiesMethodsAndIds() throws Exception {
        assertEquals(400, send("POST", "/todos", "not json").statusCode());
        assertEquals(400, send("POST", "/todos", "{\"name\":\"x\"}").statusCode());
        assertEquals(405, send("PUT", "/todos", "{}").statusCode());
        assertEquals(404, send("GET", "/todos/x", null).statusCode());
        assertEquals(404, send("GET", "/other", null).statusCode());
        assertNull(Json.titleOf("{\"title\":\"x\"} trailing"));
        assertEquals(List.of(), hub.errors());
    }
}
