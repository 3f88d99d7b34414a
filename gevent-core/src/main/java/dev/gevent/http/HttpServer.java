package dev.gevent.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import dev.gevent.http.internal.ServerCore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The JDK's {@link com.sun.net.httpserver.HttpServer} on greenlets (gevent: {@code gevent.pywsgi.WSGIServer}):
 * handlers written for the JDK's server run unchanged, each connection served by a greenlet.
 *
 * <p><b>Where it runs.</b> Created in a hub (from a greenlet, or a thread that runs a hub), the
 * server listens and serves in that hub: {@link #start()} returns at once and the hub serves while
 * it runs (its main greenlet blocked in {@code join}, a sleep, a wait...). Created on a plain
 * thread, the server runs a hub thread of its own, or {@link #hubs(int) several} that share the
 * port through SO_REUSEPORT, and {@link #stop(int)} ends them.
 *
 * <p><b>Handlers.</b> With no executor (the default), each exchange runs in its connection's
 * greenlet: plain blocking code that parks only that greenlet. With {@link #setExecutor}, each
 * exchange runs on the executor, as the JDK documents, and its socket I/O is relayed to the
 * connection's greenlet. Filters run in their order, then the context's authenticator, then the
 * handler. An exchange ends when its response body is closed (or it is closed), not when its
 * handler returns: as in the JDK, a handler may hand it to another thread or greenlet that answers
 * later, its I/O then relayed to the connection's greenlet, which waits for it; each wait for its
 * next step is bounded by {@link #idleTimeout(Duration)}, after which it gets a 500 if no
 * response was sent, and its connection closed. A handler that throws
 * gets a 500 (if nothing was sent yet) and its connection closed; the exception goes to the hub's
 * error handler.
 *
 * <p><b>HTTP/1.1.</b> Keep-alive, pipelining (responses in request order), chunked and fixed-length
 * bodies both ways, {@code Expect: 100-continue} (the 100 goes out when the handler first reads the
 * body), HEAD, {@code Connection: close}, HTTP/1.0 clients (with or without keep-alive). Refused
 * before any handler runs: a request line over 8 KiB (414), a header section over 64 KiB or 100
 * fields (431), a body over {@link #maxRequestBody(long)} (413), malformed syntax (400), a
 * request head that takes longer than {@link #headerTimeout(Duration)} from its first byte (408).
 * A connection idle longer than {@link #idleTimeout(Duration)} between requests is closed.
 *
 * <p><b>Options</b>, also as system properties (then environment variables) read when the server
 * is made: {@code gevent.http.maxRequestBody} (bytes, default 10 MiB),
 * {@code gevent.http.headerTimeout} (default 30s), {@code gevent.http.idleTimeout} (default 60s),
 * {@code gevent.http.hubs} (default 1).
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public final class HttpServer extends com.sun.net.httpserver.HttpServer {
    private final ServerCore core = new ServerCore(this, false);

    private HttpServer() {
    }

    /**
     * Creates a server bound to {@code addr} (the JDK's {@code com.sun.net.httpserver.HttpServer.create}), or unbound if
     * {@code addr} is null ({@link #bind} later).
     *
     * @param addr where to listen; port 0 picks a free port ({@link #getAddress()})
     * @param backlog the listen backlog; 0 or less: the default
     * @return the server, not started
     * @throws java.net.BindException if the address is in use
     * @throws IOException if the listener cannot be opened
     */
    public static HttpServer create(InetSocketAddress addr, int backlog) throws IOException {
        HttpServer server = new HttpServer();
        if (addr != null) {
            server.bind(addr, backlog);
        }
        return server;
    }

    /**
     * @return an unbound server: {@link #bind} it before {@link #start()}
     * @throws IOException never; as the JDK's signature
     */
    public static HttpServer create() throws IOException {
        return create(null, 0);
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) throws IOException {
        core.bind(addr, backlog);
    }

    @Override
    public void start() {
        core.start();
    }

    @Override
    public void setExecutor(Executor executor) {
        core.setExecutor(executor);
    }

    @Override
    public Executor getExecutor() {
        return core.getExecutor();
    }

    @Override
    public void stop(int delay) {
        core.stop(delay);
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        return core.createContext(path, Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public HttpContext createContext(String path) {
        return core.createContext(path, null);
    }

    @Override
    public void removeContext(String path) {
        core.removeContext(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        core.removeContext(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        return core.getAddress();
    }

    /**
     * Bounds a request body; a larger one gets 413 (a declared Content-Length at once, a chunked
     * body when a read passes the limit).
     *
     * @param bytes the most a request body may hold
     * @return this server
     */
    public HttpServer maxRequestBody(long bytes) {
        core.maxRequestBody(bytes);
        return this;
    }

    /**
     * Bounds the time from a request's first byte to the end of its head (slow clients: 408).
     *
     * @param timeout positive
     * @return this server
     */
    public HttpServer headerTimeout(Duration timeout) {
        core.headerTimeout(timeout);
        return this;
    }

    /**
     * Bounds the wait for the next request on a kept-alive connection, and each read of a request
     * body and write of a response; past it the connection is closed.
     *
     * @param timeout positive
     * @return this server
     */
    public HttpServer idleTimeout(Duration timeout) {
        core.idleTimeout(timeout);
        return this;
    }

    /**
     * Serves on {@code n} hub threads, each with its own listener on the port (SO_REUSEPORT), for
     * multi-core machines. Before {@link #start()}; only for a server created outside any hub.
     *
     * @param n at least 1
     * @return this server
     * @throws IllegalStateException if started, or created in a hub and {@code n > 1}
     */
    public HttpServer hubs(int n) {
        core.hubs(n);
        return this;
    }

    /**
     * Serves HTTP on an already connected socket (one this server did not accept: a Unix domain
     * socket, say), in the calling greenlet, with this server's contexts and options, until the
     * client or a response ends the connection; the socket is left open.
     *
     * @param socket a connected socket of the calling greenlet's hub
     */
    public void serveConnection(dev.gevent.socket.StreamSocket socket) {
        core.serveConnection(socket);
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
