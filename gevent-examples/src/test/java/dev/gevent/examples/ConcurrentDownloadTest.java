package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code concurrent_download} example on a hub of its own thread: against its own local
 * server every page arrives whole and the requests overlap; against the JDK's HTTP server, given
 * URLs are fetched and a missing page reports its status.
 */
class ConcurrentDownloadTest {

    @Test
    @Timeout(60)
    void fetchesEveryLocalPageWholeWithTheRequestsInFlightTogether() throws Exception {
        int pages = 10;
        LogCapture out = new LogCapture();
        ConcurrentDownload.Result result;
        try (HubThread client = new HubThread("concurrent_download")) {
            result = client.call(() -> ConcurrentDownload.run(ConcurrentDownload.parse(new String[] {"" + pages}), out.stream()));
            assertEquals(List.of(), client.errors());
        }
        assertEquals(List.of(), result.failures());
        Map<String, Long> sizes = result.pages().stream()
                .collect(Collectors.toMap(page -> page.url().getPath(), ConcurrentDownload.Page::bytes));
        Map<String, Long> expected = IntStream.range(0, pages).boxed()
                .collect(Collectors.toMap(i -> "/page/" + i, i -> (long) ConcurrentDownload.size(i)));
        assertEquals(expected, sizes);
        assertTrue(result.pages().stream().allMatch(page -> page.status() == 200), result::toString);
        for (ConcurrentDownload.Page page : result.pages()) {
            assertTrue(out.lines().stream().anyMatch(line -> line.startsWith(page.url() + ": " + page.bytes() + " bytes: 'page ")),
                    () -> "no line for " + page + " in " + out.lines());
        }
        // One at a time, the server would hold at most one request, and the downloads would take
        // at least the sum of its delays.
        assertTrue(result.peakRequests() > 1, () -> "the server never held two requests at once: " + result);
        long held = IntStream.range(0, pages).mapToLong(i -> ConcurrentDownload.delay(i).toMillis()).sum();
        assertTrue(result.elapsed().toMillis() < held, () -> result.elapsed().toMillis() + " ms, the delays add up to " + held + " ms");
    }

    @Test
    @Timeout(60)
    void fetchesGivenUrlsFromTheJdksHttpServer() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        byte[] body = "x".repeat(70_000).getBytes(StandardCharsets.US_ASCII);
        server.createContext("/big", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        try (HubThread client = new HubThread("concurrent_download")) {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            ConcurrentDownload.Options options = ConcurrentDownload.parse(new String[] {base + "/big", base + "/big?again=1", base + "/missing"});
            ConcurrentDownload.Result result = client.call(() -> ConcurrentDownload.run(options, new LogCapture().stream()));
            assertEquals(List.of(), result.failures());
            Map<URI, ConcurrentDownload.Page> pages = result.pages().stream()
                    .collect(Collectors.toMap(ConcurrentDownload.Page::url, page -> page));
            assertEquals(new ConcurrentDownload.Page(URI.create(base + "/big"), 200, body.length), pages.get(URI.create(base + "/big")));
            assertEquals(new ConcurrentDownload.Page(URI.create(base + "/big?again=1"), 200, body.length),
                    pages.get(URI.create(base + "/big?again=1")));
            assertEquals(404, pages.get(URI.create(base + "/missing")).status());
            assertEquals(0, result.peakRequests());
        } finally {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    @Test
    @Timeout(30)
    void reportsADownloadThatFails() throws Exception {
        int refusing;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = probe.getLocalPort();
        }
        try (HubThread client = new HubThread("concurrent_download")) {
            ConcurrentDownload.Options options = ConcurrentDownload.parse(new String[] {"http://127.0.0.1:" + refusing + "/"});
            ConcurrentDownload.Result result = client.call(() -> ConcurrentDownload.run(options, new LogCapture().stream()));
            assertEquals(List.of(), result.pages());
            assertEquals(1, result.failures().size());
            assertTrue(result.failures().getFirst().contains("ConnectException"), result.failures()::toString);
        }
    }

    @Test
    void rejectsArgumentsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> ConcurrentDownload.parse(new String[] {"0"}));
        assertThrows(IllegalArgumentException.class, () -> ConcurrentDownload.parse(new String[] {"" + (ConcurrentDownload.MAX_PAGES + 1)}));
        assertThrows(IllegalArgumentException.class, () -> ConcurrentDownload.parse(new String[] {"https://example.org/"}));
        assertThrows(IllegalArgumentException.class, () -> ConcurrentDownload.parse(new String[] {"ten"}));
        assertThrows(IllegalArgumentException.class, () -> ConcurrentDownload.parse(new String[] {"http://a b/"}));
        assertEquals(ConcurrentDownload.DEFAULT_PAGES, ConcurrentDownload.parse(new String[0]).pages());
    }
}
