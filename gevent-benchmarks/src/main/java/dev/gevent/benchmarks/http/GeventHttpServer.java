package dev.gevent.benchmarks.http;

import com.sun.net.httpserver.HttpExchange;
import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.http.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The hello-world handler on this project's HTTP server, on one hub (the main thread's), on the
 * loop {@code -Dgevent.loop} names. Prints {@code listening on PORT} and serves until killed.
 *
 * <pre>{@code
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks.jar dev.gevent.benchmarks.http.GeventHttpServer port
 * }</pre>
 */
public final class GeventHttpServer {
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private GeventHttpServer() {
    }

    /**
     * Serves until the process is killed.
     *
     * @param args the port (0: any free one)
     * @throws IOException if the server cannot start
     */
    public static void main(String[] args) throws IOException {
        try (Hub hub = Gevent.getHub()) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 1024);
            server.createContext("/", GeventHttpServer::hello);
            server.start();
            System.out.println("listening on " + server.getAddress().getPort());
            System.out.println("gevent HttpServer, one hub, loop " + hub.loopName());
            hub.join();
        }
    }

    /** The handler every contender runs: 200, text/plain, "Hello, World!". */
    static void hello(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, HELLO.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(HELLO);
        }
    }
}
