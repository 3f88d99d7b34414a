package dev.gevent.http.internal;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A path prefix and what serves it (the JDK's {@link HttpContext}). Its handler, filters and
 * authenticator may be changed while the server runs, from any thread; each request sees them as
 * they were when it started.
 */
final class Context extends HttpContext {
    private final String path;
    /** The path as bytes when it is plain ASCII without '%', for matching raw request paths; else null. */
    final byte[] rawPath;
    private final HttpServer server;
    private volatile HttpHandler handler;
    private volatile Authenticator authenticator;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final List<Filter> filters = new CopyOnWriteArrayList<>();

    Context(String path, HttpHandler handler, HttpServer server) {
        this.path = path;
        this.handler = handler;
        this.server = server;
        byte[] bytes = path.getBytes(StandardCharsets.ISO_8859_1);
        this.rawPath = isPlain(path) ? bytes : null;
    }

    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '%') {
                return false;
            }
        }
        return true;
    }

    @Override
    public HttpHandler getHandler() {
        return handler;
    }

    @Override
    public void setHandler(HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (this.handler != null) {
            throw new IllegalArgumentException("the handler of context " + path + " is already set");
        }
        this.handler = handler;
    }

    @Override
    public String getPath() {
        return path;
    }

    @Override
    public HttpServer getServer() {
        return server;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public List<Filter> getFilters() {
        return filters;
    }

    @Override
    public Authenticator setAuthenticator(Authenticator auth) {
        Authenticator old = authenticator;
        authenticator = auth;
        return old;
    }

    @Override
    public Authenticator getAuthenticator() {
        return authenticator;
    }

    @Override
    public String toString() {
        return "HttpContext[" + path + "]";
    }
}
