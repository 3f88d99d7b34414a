package dev.gevent.tck.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import dev.gevent.Gevent;
import dev.gevent.event.Event;
import dev.gevent.http.HttpServer;
import dev.gevent.http.HttpsServer;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The JDK's {@code com.sun.net.httpserver} API served on greenlets, driven by the JDK's own
 * {@code java.net.http.HttpClient}: {@code HttpServer.create} returns this server through the
 * provider; contexts match by longest prefix; filters, the authenticator and attributes behave as
 * the JDK documents; a handler runs in the connection's greenlet, or on the executor given.
 */
@GeventTck
public class HttpServerTck {

    private static URI uri(HttpServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void theJdkFactoriesReturnThisServerThroughTheProvider() throws Exception {
        com.sun.net.httpserver.HttpServer plain = com.sun.net.httpserver.HttpServer.create(Servers.ANY_PORT, 0);
        com.sun.net.httpserver.HttpsServer secure = com.sun.net.httpserver.HttpsServer.create(Servers.ANY_PORT, 0);
        try {
            assertInstanceOf(HttpServer.class, plain);
            assertInstanceOf(HttpsServer.class, secure);
            assertNotNull(plain.getAddress());
            assertTrue(plain.getAddress().getPort() > 0, "bound at create, as the JDK's server is");
        } finally {
            plain.stop(0);
            secure.stop(0);
        }
    }

    @Test
    void servesGetAndPostOnKeptAliveConnections() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try (JdkClient client = new JdkClient()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> get = client.get(uri(server, "/get?i=" + i));
                assertEquals(200, get.statusCode());
                assertEquals("GET /get?i=" + i + " ", get.body());
                assertEquals("text/plain; charset=utf-8", get.headers().firstValue("Content-Type").orElseThrow());
            }
            String big = "x".repeat(100_000);
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri(server, "/post"))
                    .POST(HttpRequest.BodyPublishers.ofString(big)).build());
            assertEquals("POST /post " + big, post.body());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theLongestMatchingContextServesAndNoMatchIs404() throws Exception {
        HttpServer server = HttpServer.create(Servers.ANY_PORT, 0);
        server.createContext("/api", exchange -> Servers.respond(exchange, 200, "api " + exchange.getHttpContext().getPath()));
        server.createContext("/api/v2", exchange -> Servers.respond(exchange, 200, "v2"));
        HttpContext gone = server.createContext("/gone", exchange -> Servers.respond(exchange, 200, "gone"));
        server.removeContext(gone);
        assertThrows(IllegalArgumentException.class, () -> server.createContext("/api", exchange -> { }));
        server.start();
        try (JdkClient client = new JdkClient()) {
            assertEquals("api /api", client.get(uri(server, "/api/v1/x")).body());
            assertEquals("api /api", client.get(uri(server, "/apix")).body());
            assertEquals("v2", client.get(uri(server, "/api/v2/y")).body());
            assertEquals(404, client.get(uri(server, "/gone")).statusCode());
            assertEquals(404, client.get(uri(server, "/")).statusCode());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void filtersRunInOrderThenTheAuthenticatorThenTheHandler() throws Exception {
        HttpServer server = HttpServer.create(Servers.ANY_PORT, 0);
        HttpContext context = server.createContext("/", exchange -> Servers.respond(exchange, 200,
                exchange.getAttribute("seen") + " user=" + exchange.getPrincipal().getUsername()
                        + " ctx=" + exchange.getHttpContext().getAttributes().get("name")));
        context.getAttributes().put("name", "root");
        context.getFilters().add(Filter.beforeHandler("first", exchange -> exchange.setAttribute("seen", "first")));
        context.getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                exchange.setAttribute("seen", exchange.getAttribute("seen") + ",second");
                exchange.getResponseHeaders().add("X-Filtered", "yes");
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "second";
            }
        });
        context.setAuthenticator(new BasicAuthenticator("tck") {
            @Override
            public boolean checkCredentials(String user, String password) {
                return user.equals("ann") && password.equals("secret");
            }
        });
        server.start();
        try (JdkClient client = new JdkClient()) {
            HttpResponse<String> refused = client.get(uri(server, "/"));
            assertEquals(401, refused.statusCode());
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Basic"));
            String credentials = Base64.getEncoder().encodeToString("ann:secret".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(uri(server, "/"))
                    .header("Authorization", "Basic " + credentials).build());
            assertEquals(200, ok.statusCode());
            assertEquals("first,second user=ann ctx=root", ok.body());
            assertEquals("yes", ok.headers().firstValue("X-Filtered").orElseThrow());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutAnExecutorTheHandlerRunsInTheConnectionsGreenletOfTheServersHub() throws Exception {
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        Thread hubThread = Gevent.getHub().thread();
        HttpServer server = Servers.start(exchange -> {
            handlerThread.set(Thread.currentThread());
            assertEquals(hubThread, Gevent.getHub().thread());
            Servers.respond(exchange, 200, "ok");
        });
        try (JdkClient client = new JdkClient()) {
            assertEquals("ok", client.get(uri(server, "/")).body());
            assertTrue(handlerThread.get().isVirtual());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withAnExecutorTheHandlerRunsThereAndItsIoIsRelayed() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        HttpServer server = HttpServer.create(Servers.ANY_PORT, 0);
        server.setExecutor(threads);
        assertEquals(threads, server.getExecutor());
        server.createContext("/", exchange -> {
            handlerThread.set(Thread.currentThread());
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(("got " + body.length + " bytes:").getBytes(StandardCharsets.UTF_8));
                out.write(body);
            }
        });
        server.start();
        try (JdkClient client = new JdkClient()) {
            for (String body : List.of("one", "two", "x".repeat(50_000))) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(server, "/"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                assertEquals("got " + body.length() + " bytes:" + body, r.body());
            }
            assertFalse(handlerThread.get().isVirtual());
        } finally {
            server.stop(0);
            threads.shutdown();
        }
    }

    @Test
    void anExchangeHandedToAPlainThreadEndsWhenThatThreadAnswersAfterTheHandlerReturned() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        assertHandedOffExchangeAnswered("a thread", release::countDown, null, answerOnAThreadAfter(release, failure));
        assertNull(failure.get());
    }

    @Test
    void anExchangeAHandlerOnTheExecutorHandsToAnotherThreadEndsWhenThatThreadAnswers() throws Exception {
        ExecutorService threads = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            assertHandedOffExchangeAnswered("a thread", release::countDown, threads, answerOnAThreadAfter(release, failure));
        } finally {
            threads.shutdown();
        }
        assertNull(failure.get());
    }

    @Test
    void aHandlerThatWaitsInItsGreenletForTheThreadItHandedTheExchangeToGetsItsResponseOut() throws Exception {
        ExecutorService threads = Executors.newSingleThreadExecutor();
        HttpServer server = Servers.start(exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/later")) {
                Servers.respond(exchange, 200, "at once");
                return;
            }
            exchange.sendResponseHeaders(200, 0);
            // the handler blocks its greenlet until the thread has written the body through the exchange
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("answered by a thread".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, threads).join();
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            client.socket.setTimeout(Duration.ofSeconds(5));
            assertEquals("answered by a thread", client.send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
            assertEquals("at once", client.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
        } finally {
            server.stop(0);
            threads.shutdown();
        }
    }

    @Test
    void anExchangeClosedByAnotherThreadWithoutAResponseClosesItsConnection() throws Exception {
        Event handlerReturned = new Event();
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(Servers.ANY_PORT, 0);
        HttpContext context = server.createContext("/", exchange -> Thread.ofPlatform().start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        }));
        context.getFilters().add(Filter.afterHandler("notes that the handler returned", exchange -> handlerReturned.set()));
        server.start();
        try (RawClient client = new RawClient(server.getAddress())) {
            client.socket.setTimeout(Duration.ofSeconds(5));
            client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertTrue(handlerReturned.await(Duration.ofSeconds(5)));
            release.countDown();
            // the JDK's answer to an exchange closed before any response: the connection dropped
            assertTrue(client.closedByServer());
        } finally {
            server.stop(0);
        }
    }

    /** A hand-off to a plain thread that answers once {@code release} opens. */
    private static java.util.function.Consumer<HttpExchange> answerOnAThreadAfter(CountDownLatch release,
            AtomicReference<Throwable> failure) {
        return exchange -> Thread.ofPlatform().start(() -> {
            try {
                release.await();
                Servers.respond(exchange, 200, "answered by a thread");
                exchange.close();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
    }

    @Test
    void anExchangeHandedToAnotherGreenletEndsWhenThatGreenletAnswersAfterTheHandlerReturned() throws Exception {
        Event release = new Event();
        assertHandedOffExchangeAnswered("a greenlet", release::set, null, exchange -> Gevent.spawn(() -> {
            release.await();
            Servers.respond(exchange, 200, "answered by a greenlet");
        }));
    }

    /**
     * Serves "/later" by handing the exchange to {@code handOff}, which answers "answered by
     * {@code who}" once {@code release} ran; the test runs it only after the handler returned. The
     * connection then serves another request. {@code executor}: the server's, or null.
     */
    private static void assertHandedOffExchangeAnswered(String who, Runnable release, java.util.concurrent.Executor executor,
            java.util.function.Consumer<HttpExchange> handOff) throws Exception {
        Event handlerReturned = new Event();
        HttpServer server = HttpServer.create(Servers.ANY_PORT, 0);
        server.setExecutor(executor);
        HttpContext context = server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/later")) {
                handOff.accept(exchange);
            } else {
                Servers.respond(exchange, 200, "at once");
            }
        });
        context.getFilters().add(Filter.afterHandler("notes that the handler returned", exchange -> handlerReturned.set()));
        server.start();
        try (RawClient client = new RawClient(server.getAddress())) {
            client.socket.setTimeout(Duration.ofSeconds(5));
            client.send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n");
            assertTrue(handlerReturned.await(Duration.ofSeconds(5)));
            release.run();
            Wire.Response r = client.read();
            assertEquals(200, r.status());
            assertEquals("answered by " + who, r.text());
            assertEquals("at once", client.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerCreatedOnAPlainThreadRunsItsOwnHubs() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread plain = Thread.ofPlatform().start(() -> {
            try {
                HttpServer server = HttpServer.create(Servers.ANY_PORT, 0).hubs(2);
                server.createContext("/", exchange -> Servers.respond(exchange, 200,
                        Thread.currentThread().isVirtual() + " " + Gevent.getHub().thread().getName()));
                server.start();
                Set<String> hubs = new HashSet<>();
                try {
                    // new connections, which the kernel spreads over the two listeners by their ports:
                    // all 32 on one would happen once in 2^31 runs
                    for (int i = 0; i < 32; i++) {
                        try (java.net.Socket client = new java.net.Socket(server.getAddress().getAddress(), server.getAddress().getPort())) {
                            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                            Wire.Response r = Wire.read(new java.io.BufferedInputStream(client.getInputStream()), false);
                            assertTrue(r.text().startsWith("true gevent-http-"), r.text());
                            hubs.add(r.text().substring(5));
                        }
                    }
                } finally {
                    server.stop(0);
                }
                assertEquals(Set.of("gevent-http-0", "gevent-http-1"), hubs);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        // a plain thread blocked in the JDK: the test's hub waits without running anything of the server
        Gevent.spawn(() -> {
            plain.join();
        }).join();
        assertNull(failure.get());
    }

    @Test
    void aServerCreatedInAHubRefusesSeveralHubs() throws Exception {
        HttpServer server = HttpServer.create(Servers.ANY_PORT, 0);
        try {
            assertThrows(IllegalStateException.class, () -> server.hubs(2));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anAddressInUseIsABindExceptionAndAnUnboundServerBindsLater() throws Exception {
        HttpServer first = HttpServer.create(Servers.ANY_PORT, 0);
        HttpServer later = HttpServer.create();
        try {
            assertNull(later.getAddress());
            assertThrows(IllegalStateException.class, later::start);
            assertThrows(java.net.BindException.class, () -> HttpServer.create(first.getAddress(), 0));
            assertThrows(java.net.BindException.class, () -> later.bind(first.getAddress(), 0));
            later.bind(Servers.ANY_PORT, 0);
            assertThrows(java.net.BindException.class, () -> later.bind(Servers.ANY_PORT, 0));
            later.createContext("/", exchange -> Servers.respond(exchange, 200, "later"));
            later.start();
            try (JdkClient client = new JdkClient()) {
                assertEquals("later", client.get(uri(later, "/")).body());
            }
        } finally {
            first.stop(0);
            later.stop(0);
        }
    }
}
