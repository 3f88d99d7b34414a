package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import dev.gevent.http.HttpServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code webproxy} example on a hub of its own thread, in front of an upstream site served by
 * the JDK's own HTTP server on loopback, asked by the JDK's HttpClient from a plain thread.
 */
class WebProxyTest {
    private static final String PAGE = """
            <html><body>
            <a href="http://127.0.0.1:UP/other">absolute</a>
            <a href='/root?q=1'>root-relative</a>
            <img src=pic.png alt=relative>
            <a href="#top">fragment</a>
            <a href="mailto:someone@example.com">mail</a>
            <form action="/search"></form>
            </body></html>
            """;

    private static final CountDownLatch SLOW_PAGE_RELEASED = new CountDownLatch(1);

    private HubThread hub;
    private LogCapture log;
    private com.sun.net.httpserver.HttpServer upstream;
    private HttpClient upstreamClient;
    private HttpServer proxy;
    private HttpClient client;
    private String base;
    private String up;

    @BeforeEach
    void start() throws Exception {
        upstream = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0,
                "/", WebProxyTest::serveUpstream);
        upstream.start();
        up = "http://127.0.0.1:" + upstream.getAddress().getPort();
        hub = new HubThread("webproxy");
        log = new LogCapture();
        upstreamClient = hub.call(WebProxy::upstreamClient);
        proxy = hub.call(() -> WebProxy.start(0, upstreamClient, log.stream()));
        base = "http://127.0.0.1:" + proxy.getAddress().getPort();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        hub.call(() -> {
            proxy.stop(0);
            return null;
        });
        upstreamClient.close();
        hub.close();
        upstream.stop(0);
    }

    /**
     * The upstream site: an HTML page at /dir/page.html, a binary file at /data.bin, a page at /slow
     * that answers once {@link #SLOW_PAGE_RELEASED}, and a 404 text anywhere else.
     */
    private static void serveUpstream(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/slow")) {
            try {
                SLOW_PAGE_RELEASED.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
        }
        int port = exchange.getLocalAddress().getPort();
        byte[] body;
        int status = 200;
        switch (path) {
            case "/dir/page.html" -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                body = PAGE.replace("UP", Integer.toString(port)).getBytes(StandardCharsets.UTF_8);
            }
            case "/data.bin" -> {
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                body = new byte[] {0, 1, 2, (byte) 0xFF, 'h', 'r', 'e', 'f', '='};
            }
            case "/slow" -> {
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                body = "at last".getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                status = 404;
                body = ("no " + path).getBytes(StandardCharsets.UTF_8);
            }
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Timeout(30)
    void theRootIsTheFormAndPostingItRedirectsToTheUrl() throws Exception {
        assertTrue(log.lines().getFirst().startsWith("webproxy: listening on " + base.substring("http://".length()) + " "),
                log.lines()::toString);
        HttpResponse<String> form = get("/");
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("<form action=\"/\" method=\"post\">"), form.body());
        HttpResponse<String> posted = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("url=" + up.replace(":", "%3A") + "%2Fdir%2Fpage.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, posted.statusCode());
        assertEquals("/" + up + "/dir/page.html", posted.headers().firstValue("Location").orElseThrow());
        assertEquals(400, client.send(HttpRequest.newBuilder(URI.create(base + "/")).POST(HttpRequest.BodyPublishers.ofString("q=1")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(List.of(), hub.errors());
    }

    @Test
    @Timeout(30)
    void fetchesAPageWithItsLinksRewrittenToGoThroughTheProxy() throws Exception {
        HttpResponse<String> page = get("/" + up + "/dir/page.html");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        String expected = PAGE.replace("UP", Integer.toString(upstream.getAddress().getPort()))
                .replace("href=\"" + up + "/other\"", "href=\"/" + up + "/other\"")
                .replace("href='/root?q=1'", "href='/" + up + "/root?q=1'")
                .replace("src=pic.png", "src=\"/" + up + "/dir/pic.png\"")
                .replace("action=\"/search\"", "action=\"/" + up + "/search\"");
        assertEquals(expected, page.body());
        assertTrue(log.lines().contains("webproxy: " + up + "/dir/page.html: 200"), log.lines()::toString);

        HttpResponse<String> followed = get("/" + up + "/root?q=1");
        assertEquals(404, followed.statusCode(), "the upstream's status comes through");
        assertEquals("no /root", followed.body());

        HttpResponse<byte[]> binary = client.send(HttpRequest.newBuilder(URI.create(base + "/" + up + "/data.bin")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, binary.statusCode());
        assertEquals("application/octet-stream", binary.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(List.of((byte) 0, (byte) 1, (byte) 2, (byte) 0xFF, (byte) 'h'), List.of(binary.body()[0], binary.body()[1],
                binary.body()[2], binary.body()[3], binary.body()[4]));
        assertEquals(9, binary.body().length);
        assertEquals(List.of(), hub.errors());
    }

    @Test
    @Timeout(30)
    void aSlowUpstreamHoldsOnlyItsOwnRequest() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/" + up + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            assertEquals(200, get("/" + up + "/dir/page.html").statusCode(), "served while the slow fetch waits");
            assertFalse(slow.isDone());
        } finally {
            SLOW_PAGE_RELEASED.countDown();
        }
        assertEquals("at last", slow.get().body());
        assertEquals(List.of(), hub.errors());
    }

    @Test
    @Timeout(30)
    void aUrlWithoutSchemeIsTakenAsHttp() throws Exception {
        HttpResponse<String> page = get("/127.0.0.1:" + upstream.getAddress().getPort() + "/missing");
        assertEquals(404, page.statusCode());
        assertEquals("no /missing", page.body());
    }

    @Test
    @Timeout(30)
    void badUrlsAre400AndAnUnreachableUpstreamIs502() throws Exception {
        HttpResponse<String> notHttp = get("/ftp://127.0.0.1/file");
        assertEquals(400, notHttp.statusCode());
        assertTrue(notHttp.body().contains("<h1>Not an http or https URL</h1><h2>ftp://127.0.0.1/file</h2>"), notHttp.body());
        assertEquals(400, get("/http:///no-host").statusCode());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort + "/";
        HttpResponse<String> refused = get("/" + unreachable);
        assertEquals(502, refused.statusCode());
        assertTrue(refused.body().contains("<h1>Cannot fetch " + unreachable + "</h1><h2>java.net.ConnectException"), refused.body());
        assertTrue(log.lines().stream().anyMatch(line -> line.startsWith("webproxy: " + unreachable + ": java.net.ConnectException")),
                log.lines()::toString);

        HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(base + "/")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode());
        assertEquals("GET, POST", put.headers().firstValue("Allow").orElseThrow());
        assertEquals(List.of(), hub.errors());
    }

    @Test
    void fixLinksResolvesRelativeLinksAndLeavesOtherBytesAsTheyWere() {
        byte[] latin1 = "<p>caf\u00e9</p><a href=\"b\">".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("<p>caf\u00e9</p><a href=\"/http://h/a/b\">",
                new String(WebProxy.fixLinks(latin1, URI.create("http://h/a/page")), StandardCharsets.ISO_8859_1));
        assertEquals("<a href=\"/http://h/b\">", new String(WebProxy.fixLinks("<a href=\"b\">".getBytes(StandardCharsets.ISO_8859_1),
                URI.create("http://h")), StandardCharsets.ISO_8859_1), "a page at a URL without a path");
    }
}
