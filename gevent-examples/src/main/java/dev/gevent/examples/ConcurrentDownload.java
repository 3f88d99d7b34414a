package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.pool.Group;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.Socket;
import dev.gevent.socket.StreamSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * gevent's {@code examples/concurrent_download.py}: a greenlet per page, each fetching its page
 * with plain blocking code, all in flight at once on one thread. Each greenlet writes an HTTP/1.0
 * {@code GET} by hand on the cooperative {@link Socket} and reads the response to its end; the
 * size of each page is printed as it arrives, then the total time.
 *
 * <p>Without URLs it fetches N pages (default {@value #DEFAULT_PAGES}) from a small local HTTP
 * server that it starts itself: a {@link StreamServer} on 127.0.0.1, port 0, on a hub of its own
 * thread, so the client's hub does only the downloads. That server holds each page 100 to 300 ms
 * before it answers, as a remote server would take its time; fetched one at a time, the pages
 * would take the sum of those delays, fetched concurrently about the longest one. It counts how
 * many requests it held at once. With URLs ({@code http://} only: the client speaks plain
 * HTTP/1.0) it fetches those instead.
 *
 * <p>Run: {@code java -jar gevent-examples.jar concurrent_download 20} or
 * {@code ... concurrent_download http://127.0.0.1:8000/ http://127.0.0.1:8000/a}. Exits with
 * status 1 if any download failed.
 */
public final class ConcurrentDownload {
    /** The arguments after the example's name. */
    public static final String USAGE = "[N | http://URL...]";
    /** How many local pages when no argument says. */
    public static final int DEFAULT_PAGES = 10;
    /** The most local pages, to keep the load on loopback bounded. */
    public static final int MAX_PAGES = 1000;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int HEAD_LIMIT = 64 * 1024;
    private static final int BUFFER_SIZE = 16 * 1024;
    private static final int PREVIEW = 50;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d\\.\\d (\\d{3})( .*)?");

    private ConcurrentDownload() {
    }

    /**
     * Parsed arguments.
     *
     * @param pages how many pages of the local server to fetch, when {@code urls} is empty
     * @param urls what to fetch instead; empty for the local server
     */
    public record Options(int pages, List<URI> urls) {
        /** Copies the list. */
        public Options {
            urls = List.copyOf(urls);
        }
    }

    /**
     * One page fetched.
     *
     * @param url where from
     * @param status the HTTP status code
     * @param bytes the size of the body
     */
    public record Page(URI url, int status, long bytes) {
    }

    /**
     * What a run did.
     *
     * @param pages the pages fetched, in the order they arrived
     * @param failures one line for each download that failed
     * @param elapsed from the first request to the last page
     * @param peakRequests with the local server, the most requests it held at once; 0 with URLs
     */
    public record Result(List<Page> pages, List<String> failures, Duration elapsed, int peakRequests) {
    }

    /**
     * @param args {@value #USAGE}
     * @return the options
     * @throws IllegalArgumentException (an {@code Args.Bad}) naming what is wrong
     */
    public static Options parse(String[] args) {
        if (args.length == 0) {
            return new Options(DEFAULT_PAGES, List.of());
        }
        if (args.length == 1 && args[0].chars().allMatch(Character::isDigit)) {
            return new Options(Args.count(args[0], "pages", 1, MAX_PAGES), List.of());
        }
        List<URI> urls = new ArrayList<>();
        for (String arg : args) {
            urls.add(httpUrl(arg));
        }
        return new Options(0, urls);
    }

    private static URI httpUrl(String arg) {
        URI url;
        try {
            url = new URI(arg);
        } catch (URISyntaxException e) {
            throw new Args.Bad("neither a number of pages nor a URL: " + arg);
        }
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new Args.Bad("only http://HOST[:PORT]/PATH URLs: the client writes HTTP/1.0 by hand on a plain socket; got: " + arg);
        }
        return url;
    }

    /**
     * Runs the downloads in the calling platform thread, as its hub's main greenlet.
     *
     * @param args {@value #USAGE}
     * @throws IOException if a download failed, or the local server could not start
     */
    public static void main(String[] args) throws IOException {
        Options options = parse(args);
        try (Hub _ = Gevent.getHub()) {
            Result result = run(options, System.out);
            if (!result.failures().isEmpty()) {
                throw new IOException(result.failures().size() + " of " + (result.pages().size() + result.failures().size())
                        + " downloads failed");
            }
        }
    }

    /**
     * Fetches the pages concurrently from greenlets of the calling thread's hub, blocking the
     * calling greenlet until all have arrived or failed. With no URLs, starts the local server on
     * a thread of its own first, and stops it afterwards.
     *
     * @param options what to fetch
     * @param out where each page and the summary are printed
     * @return what it did
     * @throws IOException if the local server could not start
     */
    public static Result run(Options options, PrintStream out) throws IOException {
        if (!options.urls().isEmpty()) {
            return download(options.urls(), out, null);
        }
        try (LocalSite site = LocalSite.start()) {
            List<URI> urls = IntStream.range(0, options.pages()).mapToObj(site::url).toList();
            long held = IntStream.range(0, options.pages()).mapToLong(i -> delay(i).toMillis()).sum();
            out.println("local server on " + site.server.address() + "; it holds each page 100-300 ms before answering");
            Result result = download(urls, out, site);
            out.println("the server held up to " + result.peakRequests() + " requests at once; one at a time, its delays"
                    + " alone would add up to " + held + " ms");
            return result;
        }
    }

    /** Fetches each URL in a greenlet of its own; {@code site} is the local server, or null. */
    private static Result download(List<URI> urls, PrintStream out, LocalSite site) {
        // all greenlets of one hub: they never run at once, so plain lists are safe
        List<Page> pages = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        // the Group kills the downloads still running if this greenlet is killed or times out
        try (Group downloads = new Group()) {
            for (URI url : urls) {
                downloads.spawn(() -> {
                    out.println("Starting " + url);
                    try {
                        pages.add(fetch(url, out));
                    } catch (IOException e) {
                        out.println(url + ": failed: " + e);
                        failures.add(url + ": " + e);
                    }
                });
            }
            downloads.join();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long total = pages.stream().mapToLong(Page::bytes).sum();
        out.println("fetched " + pages.size() + " pages, " + total + " bytes, in " + elapsed.toMillis() + " ms"
                + (failures.isEmpty() ? "" : "; " + failures.size() + " failed"));
        return new Result(List.copyOf(pages), List.copyOf(failures), elapsed, site == null ? 0 : site.peak.get());
    }

    /**
     * Fetches one page with a hand-written HTTP/1.0 GET, and prints its size and first bytes.
     * Blocks only the calling greenlet.
     */
    private static Page fetch(URI url, PrintStream out) throws IOException {
        String host = url.getHost();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        String request = "GET " + path + " HTTP/1.0\r\n"
                + "Host: " + host + (url.getPort() < 0 ? "" : ":" + port) + "\r\n"
                + "User-Agent: gevent-examples concurrent_download\r\n"
                + "\r\n";
        try (Socket socket = Socket.connect(InetSocketAddress.createUnresolved(literal, port), TIMEOUT)) {
            socket.setTimeout(TIMEOUT);
            socket.sendAll(request.getBytes(StandardCharsets.US_ASCII));
            // HTTP/1.0 without keep-alive: the response ends where the connection does
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
            long total = 0;
            int n;
            while ((n = socket.read(buffer)) >= 0) {
                head.write(buffer.array(), 0, Math.min(n, HEAD_LIMIT - head.size()));
                total += n;
                buffer.clear();
            }
            byte[] start = head.toByteArray();
            int bodyStart = indexOf(start, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (bodyStart < 0) {
                throw new IOException("no HTTP response head in the first " + start.length + " bytes");
            }
            bodyStart += 4;
            Page page = new Page(url, status(start), total - bodyStart);
            byte[] preview = Arrays.copyOfRange(start, bodyStart, Math.min(start.length, bodyStart + PREVIEW));
            out.println(url + ": " + page.bytes() + " bytes" + (page.status() == 200 ? "" : " (HTTP " + page.status() + ")")
                    + ": " + UdpServer.repr(preview));
            return page;
        }
    }

    private static int status(byte[] response) throws IOException {
        int end = indexOf(response, "\r\n".getBytes(StandardCharsets.US_ASCII));
        String line = new String(response, 0, end, StandardCharsets.ISO_8859_1);
        Matcher m = STATUS_LINE.matcher(line);
        if (!m.matches()) {
            throw new IOException("not an HTTP status line: " + UdpServer.repr(line.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return Integer.parseInt(m.group(1));
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * @param page a local page's number, from 0
     * @return how long the local server holds it before answering: 100 to 300 ms, varied so
     *     that the pages arrive in another order than they were asked for
     */
    static Duration delay(int page) {
        return Duration.ofMillis(100 + 50 * ((page * 3) % 5));
    }

    /**
     * @param page a local page's number, from 0
     * @return the size of its body: 2,000 to 31,999 bytes
     */
    static int size(int page) {
        return 2_000 + (page * 7_919) % 30_000;
    }

    /**
     * The local HTTP server: a {@link StreamServer} on a hub of its own thread, answering
     * {@code GET /page/I} with page I after {@link #delay(int)}.
     */
    private static final class LocalSite implements AutoCloseable {
        private static final Pattern REQUEST_LINE = Pattern.compile("GET /page/(\\d{1,9}) HTTP/1\\.[01]");

        private final Hub hub;
        private final AtomicInteger held = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();
        private StreamServer server;

        private LocalSite(Hub hub) {
            this.hub = hub;
        }

        /** Starts the server on a new thread, and returns once it listens. */
        static LocalSite start() throws IOException {
            LocalSite site = new LocalSite(Hub.startThread("concurrent_download-server"));
            try {
                // the calling greenlet waits; its hub runs meanwhile
                site.server = site.hub.spawn(() -> {
                    StreamServer s = new StreamServer(new InetSocketAddress("127.0.0.1", 0), (socket, peer) -> site.serve(socket));
                    s.start();
                    return s;
                }).get();
            } catch (Throwable e) {
                site.hub.close();
                throw e;
            }
            return site;
        }

        URI url(int page) {
            return URI.create("http://127.0.0.1:" + server.address().getPort() + "/page/" + page);
        }

        private void serve(StreamSocket socket) throws IOException {
            String requestLine = readRequestLine(socket);
            Matcher m = REQUEST_LINE.matcher(requestLine);
            if (!m.matches()) {
                respond(socket, "404 Not Found", "no such page: " + requestLine + "\n");
                return;
            }
            int page = Integer.parseInt(m.group(1));
            peak.accumulateAndGet(held.incrementAndGet(), Math::max);
            try {
                Gevent.sleep(delay(page));
            } finally {
                held.decrementAndGet();
            }
            respond(socket, "200 OK", body(page));
        }

        private static String body(int page) {
            String line = "page " + page + " of gevent's concurrent_download example\n";
            StringBuilder body = new StringBuilder(size(page));
            while (body.length() < size(page)) {
                body.append(line);
            }
            body.setLength(size(page));
            return body.toString();
        }

        /** Reads the request's head, to its blank line, and returns its first line. */
        private static String readRequestLine(StreamSocket socket) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            byte[] blankLine = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (indexOf(head.toByteArray(), blankLine) < 0 && head.size() < HEAD_LIMIT) {
                if (socket.read(buffer) < 0) {
                    break;
                }
                head.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n");
            return end < 0 ? text : text.substring(0, end);
        }

        private static void respond(StreamSocket socket, String status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            String head = "HTTP/1.0 " + status + "\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n"
                    + "Content-Length: " + bytes.length + "\r\n"
                    + "\r\n";
            socket.sendAll(head.getBytes(StandardCharsets.US_ASCII));
            socket.sendAll(bytes);
        }

        @Override
        public void close() {
            if (server != null) {
                server.stop();
            }
            hub.close();
        }
    }
}
