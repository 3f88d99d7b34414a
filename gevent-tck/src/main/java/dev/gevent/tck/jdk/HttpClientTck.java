package dev.gevent.tck.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * gevent.monkey's answer for an HTTP client on patched sockets (gevent's {@code concurrent_download}
 * example): {@code java.net.http.HttpClient} built with {@code .executor(hub.executor())} and
 * called with the blocking {@code send} from greenlets runs concurrent requests on one hub, which
 * goes on running other greenlets meanwhile and never runs two at once.
 *
 * <p>The server is a {@code com.sun.net.httpserver.HttpServer} (this project's, which the provider
 * gives once gevent-core is on the class path) whose executor is a pool of plain threads: each
 * handler answers after a delay spent off the hub.
 */
@GeventTck
public class HttpClientTck {

    private static final int REQUESTS = 10;
    private static final long SERVER_DELAY_MS = 300;

    @Test
    void tenConcurrentSendsFromGreenletsOverlapOnOneHub() throws IOException {
        ExecutorService serverThreads = Executors.newCachedThreadPool();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            try (exchange) {
                Thread.sleep(SERVER_DELAY_MS);
                byte[] body = ("hello " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        ExecutorService executor = Gevent.getHub().executor();
        HttpClient client = HttpClient.newBuilder()
                .executor(executor)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        try (Cooperation coop = Cooperation.start()) {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            // The client's first request loads and initialises much of java.net.http: not what is measured.
            HttpRequest warmUp = HttpRequest.newBuilder(URI.create(base + "warm-up")).build();
            assertEquals(200, Gevent.spawn(() -> client.send(warmUp, HttpResponse.BodyHandlers.discarding()).statusCode()).get());
            long start = System.nanoTime();
            List<Greenlet<String>> gets = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + i)).build();
                gets.add(Gevent.spawn(() -> {
                    HttpResponse<String> response = coop.longCall(() -> client.send(request, HttpResponse.BodyHandlers.ofString()));
                    return response.statusCode() + " " + response.body();
                }));
            }
            List<String> bodies = new ArrayList<>();
            for (Greenlet<String> g : gets) {
                bodies.add(g.get());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(IntStream.range(0, REQUESTS).mapToObj(i -> "200 hello /" + i).toList(), bodies);
            assertTrue(took.toMillis() < REQUESTS * SERVER_DELAY_MS / 2,
                    REQUESTS + " requests answered after " + SERVER_DELAY_MS + " ms took " + took.toMillis() + " ms: they did not overlap");
            coop.assertCooperated();
        } finally {
            // close() waits for the client's own threads to finish: a blocking call, made in a greenlet.
            Gevent.spawn(() -> client.close()).join();
            executor.shutdown();
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }
}
