package dev.gevent.tck.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.gevent.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Servers and handlers the http TCK classes share. */
final class Servers {
    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private Servers() {
    }

    /** @return a started server in the calling thread's hub, serving {@code handler} at "/" */
    static HttpServer start(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(ANY_PORT, 0);
        server.createContext("/", handler);
        server.start();
        return server;
    }

    /** Answers 200 with "METHOD PATH BODY", reading the whole request body. */
    static void echo(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String text = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + new String(body, StandardCharsets.UTF_8);
        respond(exchange, 200, text);
    }

    /** Sends {@code text} as a fixed-length text/plain body and ends the exchange. */
    static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
