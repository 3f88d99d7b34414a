package dev.gevent.examples;

import com.sun.net.httpserver.HttpExchange;
import dev.gevent.Gevent;
import dev.gevent.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gevent's {@code examples/webproxy.py}: a web application that fetches other web sites for you.
 * {@code GET /} is a page with a form; submitting it redirects to {@code /URL}; {@code GET /URL}
 * fetches URL and answers with its status, content type and body, the links of an HTML page
 * ({@code href}, {@code src} and {@code action} attributes) rewritten to {@code /http://...} so
 * that following them goes through the proxy again. A URL without a scheme is taken as
 * {@code http://}.
 *
 * <p>Each request runs in its connection's greenlet; the upstream fetch is the JDK's
 * {@link HttpClient} built with the hub's executor, whose blocking {@code send} parks only that
 * greenlet. A URL that is not an http or https URL is 400; an upstream that cannot be reached, or
 * does not answer within 30 seconds, is 502 with a page saying why. As gevent's, it reads each
 * page whole before answering, and passes on no request headers and no response headers but
 * {@code Content-Type}.
 *
 * <p>Run: {@code java -jar gevent-examples.jar webproxy PORT}, then open
 * {@code http://127.0.0.1:PORT/} in a browser, or {@code curl http://127.0.0.1:PORT/http://example.com/}.
 */
public final class WebProxy {
    /** The arguments after the example's name. */
    public static final String USAGE = "PORT";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String FORM = """
            <html><head><title>Web Proxy - gevent example</title></head><body>
            <p>Type in URL you want to visit and press Enter</p>
            <form action="/" method="post"><input size="80" name="url" value="http://www.gevent.org"/></form>
            </body></html>
            """;
    /** An attribute that holds a link, its value quoted or not; fragments ({@code #top}) are left alone. */
    private static final Pattern LINK = Pattern.compile(
            "(?<before>\\b(?:href|src|action)\\s*=\\s*)(?:(?<quote>[\"'])(?<quoted>[^#\"'][^\"']*)\\k<quote>|(?<bare>[^\"'#>\\s][^\\s>]*))",
            Pattern.CASE_INSENSITIVE);

    private final HttpClient upstream;
    private final PrintStream log;

    private WebProxy(HttpClient upstream, PrintStream log) {
        this.upstream = upstream;
        this.log = log;
    }

    /**
     * Serves in the calling platform thread's hub until the process is killed.
     *
     * @param args {@value #USAGE}
     * @throws IOException if it cannot listen
     */
    public static void main(String[] args) throws IOException {
        HttpExamples.serve(args, (port, log) -> start(port, upstreamClient(), log));
    }

    /**
     * @return an HTTP client whose work runs as greenlets of the calling thread's hub, following
     *     redirects (but not from https to http), with a 30 second connect timeout
     */
    public static HttpClient upstreamClient() {
        return HttpClient.newBuilder()
                .executor(Gevent.getHub().executor())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(TIMEOUT)
                .build();
    }

    /**
     * Starts the proxy in the calling thread's hub and returns at once.
     *
     * @param port where to listen on 127.0.0.1; 0 for any free port
     * @param upstream the client that fetches the pages, from {@link #upstreamClient()}; closing it
     *     after the server stopped is the caller's
     * @param log where the listening line and one line per fetch go
     * @return the started server; stop it with {@code stop(0)}
     * @throws IOException if it cannot listen
     */
    public static HttpServer start(int port, HttpClient upstream, PrintStream log) throws IOException {
        WebProxy proxy = new WebProxy(upstream, log);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", proxy::handle);
        server.start();
        log.println("webproxy: listening on 127.0.0.1:" + server.getAddress().getPort() + " (loop "
                + Gevent.getHub().loopName() + ")");
        return server;
    }

    private void handle(HttpExchange exchange) throws IOException {
        URI request = exchange.getRequestURI();
        String target = request.getRawPath().substring(1) + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery());
        switch (exchange.getRequestMethod()) {
            case "GET" -> {
                if (target.isEmpty()) {
                    send(exchange, 200, FORM);
                } else {
                    proxy(exchange, target);
                }
            }
            case "POST" -> {
                String form;
                try (InputStream in = exchange.getRequestBody()) {
                    form = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
                }
                String url = formUrl(form);
                if (!target.isEmpty() || url == null) {
                    send(exchange, 400, page("Bad request", "expected POST / with the form's url=URL"));
                    return;
                }
                exchange.getResponseHeaders().set("Location", "/" + url);
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            }
            default -> {
                exchange.getResponseHeaders().set("Allow", "GET, POST");
                send(exchange, 405, page("Method not allowed", exchange.getRequestMethod()));
            }
        }
    }

    /** @return the URL the form posted ({@code url=...}), or null if there is none that could go in a Location header */
    private static String formUrl(String form) {
        try {
            String url = form.startsWith("url=") ? URLDecoder.decode(form.substring(4), StandardCharsets.UTF_8).strip() : "";
            return url.isEmpty() || url.chars().anyMatch(Character::isISOControl) ? null : url;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void proxy(HttpExchange exchange, String target) throws IOException {
        URI url = httpUrl(target.contains("://") ? target : "http://" + target);
        if (url == null) {
            send(exchange, 400, page("Not an http or https URL", target));
            return;
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url).timeout(TIMEOUT).build();
        } catch (IllegalArgumentException e) {
            send(exchange, 400, page("Not a URL the client can fetch", e.getMessage()));
            return;
        }
        HttpResponse<byte[]> response;
        try {
            response = upstream.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            log.println("webproxy: " + url + ": " + e);
            send(exchange, 502, page("Cannot fetch " + url, e.toString()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + url);
        }
        log.println("webproxy: " + url + ": " + response.statusCode());
        String type = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
        byte[] body = type.regionMatches(true, 0, "text/html", 0, "text/html".length()) ? fixLinks(response.body(), response.uri()) : response.body();
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Rewrites each link of an HTML page to go through the proxy: {@code href="/a"} on
     * {@code http://host/dir/page} becomes {@code href="/http://host/a"}. The page is handled as
     * ISO-8859-1, so that its bytes, whatever its encoding, come back unchanged outside the links.
     *
     * @param html the page
     * @param base the page's own URL, against which relative links are resolved
     * @return the page with its http and https links rewritten; other links (mailto:, javascript:,
     *     malformed ones) are left as they were
     */
    static byte[] fixLinks(byte[] html, URI base) {
        Matcher m = LINK.matcher(new String(html, StandardCharsets.ISO_8859_1));
        StringBuilder fixed = new StringBuilder(html.length + 256);
        while (m.find()) {
            String link = m.group("quote") != null ? m.group("quoted") : m.group("bare");
            URI resolved = resolve(base, link);
            String quote = m.group("quote") != null ? m.group("quote") : "\"";
            m.appendReplacement(fixed, Matcher.quoteReplacement(
                    resolved == null ? m.group() : m.group("before") + quote + "/" + resolved + quote));
        }
        m.appendTail(fixed);
        return fixed.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static URI resolve(URI base, String link) {
        try {
            return httpUrl(base.resolve(new URI(link)).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the URL if it is an absolute http or https URL with a host, else null */
    private static URI httpUrl(String text) {
        try {
            URI url = new URI(text);
            boolean http = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
            return http && url.getHost() != null ? url : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String page(String title, String detail) {
        return "<html><head><title>" + escape(title) + "</title></head><body><h1>" + escape(title) + "</h1><h2>" + escape(detail)
                + "</h2></body></html>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void send(HttpExchange exchange, int status, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
