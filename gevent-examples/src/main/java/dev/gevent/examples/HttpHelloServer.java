package dev.gevent.examples;

import com.sun.net.httpserver.HttpExchange;
import dev.gevent.Gevent;
import dev.gevent.http.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * gevent's {@code examples/wsgiserver.py}: an HTTP server on 127.0.0.1 answering every request
 * with 200 {@code Hello, World!} (text/plain), keep-alive, on one hub. The handler is a plain
 * {@code com.sun.net.httpserver.HttpHandler}; each connection is served by its own greenlet.
 *
 * <p>Run: {@code java -jar gevent-examples.jar httpserver PORT}. Port 0 picks a free port; the first
 * line printed, {@code httpserver: listening on 127.0.0.1:PORT ...}, names it. It serves until
 * the process is killed. Try it with {@code curl http://127.0.0.1:PORT/}.
 */
public final class HttpHelloServer {
    /** The arguments after the example's name. */
    public static final String USAGE = "PORT";
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private HttpHelloServer() {
    }

    /**
     * Serves in the calling platform thread's hub until the process is killed.
     *
     * @param args {@value #USAGE}
     * @throws IOException if it cannot listen
     */
    public static void main(String[] args) throws IOException {
        HttpExamples.serve(args, HttpHelloServer::start);
    }

    /**
     * Starts the server in the calling thread's hub and returns at once.
     *
     * @param port where to listen on 127.0.0.1; 0 for any free port
     * @param log where the listening line goes
     * @return the started server; stop it with {@code stop(0)}
     * @throws IOException if it cannot listen
     */
    public static HttpServer start(int port, PrintStream log) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", HttpHelloServer::hello);
        server.start();
        log.println("httpserver: listening on 127.0.0.1:" + server.getAddress().getPort() + " (loop "
                + Gevent.getHub().loopName() + ", one hub)");
        return server;
    }

    /** Answers 200 {@code Hello, World!} (text/plain); also the {@code httpsserver} example's handler. */
    static void hello(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, HELLO.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(HELLO);
        }
    }
}
