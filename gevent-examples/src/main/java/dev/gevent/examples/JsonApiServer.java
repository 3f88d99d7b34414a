package dev.gevent.examples;

import com.sun.net.httpserver.HttpExchange;
import dev.gevent.Gevent;
import dev.gevent.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small JSON API on the HTTP server: a to-do list kept in memory, shared by every connection's
 * greenlet of the one hub (so it needs no lock: only one greenlet runs at a time).
 * <ul>
 *   <li>{@code GET /todos}: 200, {@code [{"id":1,"title":"..."},...]}</li>
 *   <li>{@code POST /todos} with {@code {"title":"..."}}: 201, the new item</li>
 *   <li>{@code GET /todos/ID}: 200, the item; 404 if there is none</li>
 *   <li>{@code DELETE /todos/ID}: 204; 404 if there is none</li>
 * </ul>
 * A body that is not such an object is 400; another method is 405.
 *
 * <p>Run: {@code java -jar gevent-examples.jar http_json PORT}, then for instance
 * {@code curl -d '{"title":"write docs"}' http://127.0.0.1:PORT/todos}.
 */
public final class JsonApiServer {
    /** The arguments after the example's name. */
    public static final String USAGE = "PORT";

    private final Map<Long, String> todos = new TreeMap<>();
    private long nextId = 1;

    private JsonApiServer() {
    }

    /**
     * Serves in the calling platform thread's hub until the process is killed.
     *
     * @param args {@value #USAGE}
     * @throws IOException if it cannot listen
     */
    public static void main(String[] args) throws IOException {
        HttpExamples.serve(args, JsonApiServer::start);
    }

    /**
     * Starts the API in the calling thread's hub and returns at once.
     *
     * @param port where to listen on 127.0.0.1; 0 for any free port
     * @param log where the listening line goes
     * @return the started server
     * @throws IOException if it cannot listen
     */
    public static HttpServer start(int port, PrintStream log) throws IOException {
        JsonApiServer api = new JsonApiServer();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/todos", api::handle);
        server.start();
        log.println("http_json: listening on 127.0.0.1:" + server.getAddress().getPort() + " (loop "
                + Gevent.getHub().loopName() + ")");
        return server;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (path.equals("/todos") || path.equals("/todos/")) {
            switch (method) {
                case "GET" -> send(exchange, 200, list());
                case "POST" -> {
                    String title = Json.titleOf(new String(body, StandardCharsets.UTF_8));
                    if (title == null) {
                        send(exchange, 400, "{\"error\":\"expected a JSON object with a string \\\"title\\\"\"}");
                        return;
                    }
                    long id = nextId++;
                    todos.put(id, title);
                    send(exchange, 201, item(id, title));
                }
                default -> send(exchange, 405, "{\"error\":\"use GET or POST\"}");
            }
            return;
        }
        Long id = idOf(path.substring("/todos/".length()));
        if (id == null || !todos.containsKey(id)) {
            send(exchange, 404, "{\"error\":\"no such item\"}");
            return;
        }
        switch (method) {
            case "GET" -> send(exchange, 200, item(id, todos.get(id)));
            case "DELETE" -> {
                todos.remove(id);
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            }
            default -> send(exchange, 405, "{\"error\":\"use GET or DELETE\"}");
        }
    }

    private static Long idOf(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String list() {
        StringBuilder json = new StringBuilder("[");
        todos.forEach((id, title) -> json.append(json.length() > 1 ? "," : "").append(item(id, title)));
        return json.append(']').toString();
    }

    private static String item(long id, String title) {
        return "{\"id\":" + id + ",\"title\":" + Json.quote(title) + "}";
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
