package dev.gevent.http.internal;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import dev.gevent.Hub;
import dev.gevent.internal.Config;
import dev.gevent.internal.HubCall;
import dev.gevent.internal.HubRef;
import dev.gevent.socket.ServerSocket;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What {@code dev.gevent.http.HttpServer} and {@code HttpsServer} share: contexts, options, and
 * where the server runs. Created in a hub (a greenlet, or a thread that runs a hub), the server
 * listens and serves in that hub. Created on a plain thread, it runs hub threads of its own: one,
 * or {@link #hubs(int) n} listening on the same port with SO_REUSEPORT, which the kernel spreads
 * connections over; they end with {@link #stop(int)}.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public final class ServerCore {
    /** Default of {@link #maxRequestBody(long)}: 10 MiB. */
    public static final long DEFAULT_MAX_REQUEST_BODY = 10L * 1024 * 1024;
    /** Default of {@link #headerTimeout(Duration)}. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);
    /** Default of {@link #idleTimeout(Duration)}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    final HttpServer owner;
    final boolean secure;
    volatile Executor executor;
    volatile long maxRequestBody = longConfig("gevent.http.maxRequestBody", "GEVENT_HTTP_MAX_REQUEST_BODY", DEFAULT_MAX_REQUEST_BODY);
    volatile Duration headerTimeout = durationConfig("gevent.http.headerTimeout", "GEVENT_HTTP_HEADER_TIMEOUT", DEFAULT_HEADER_TIMEOUT);
    volatile Duration idleTimeout = durationConfig("gevent.http.idleTimeout", "GEVENT_HTTP_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT);
    private volatile HttpsConfigurator httpsConfigurator;
    private volatile Context[] contexts = new Context[0];

    private final Object lock = new Object();
    private int hubs = (int) longConfig("gevent.http.hubs", "GEVENT_HTTP_HUBS", 1);
    private final List<Acceptor> acceptors = new ArrayList<>();
    /** The hubs this server started, to close on stop; empty when it serves in its creator's hub. */
    private final List<Hub> ownHubs = new ArrayList<>();
    private int backlog;
    private boolean started;
    private boolean stopped;

    /**
     * @param owner the public server, for {@link HttpContext#getServer()}
     * @param secure whether it speaks TLS (an {@code HttpsServer})
     */
    public ServerCore(HttpServer owner, boolean secure) {
        this.owner = owner;
        this.secure = secure;
    }

    private static long longConfig(String property, String env, long fallback) {
        String v = Config.get(property, env);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 1) {
                throw new NumberFormatException("not positive");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + "=" + v + ": expected a positive whole number", e);
        }
    }

    private static Duration durationConfig(String property, String env, Duration fallback) {
        String v = Config.get(property, env);
        return v == null ? fallback : Config.parseDuration(property, v);
    }

    /**
     * Binds the listener: in the calling thread's hub if it has one, else in a hub thread of the
     * server's own.
     *
     * @throws BindException if already bound or the address is in use
     */
    public void bind(InetSocketAddress address, int backlog) throws IOException {
        Objects.requireNonNull(address, "address");
        synchronized (lock) {
            if (!acceptors.isEmpty()) {
                throw new BindException("the server is already bound to " + getAddress());
            }
            if (stopped) {
                throw new IllegalStateException("the server was stopped");
            }
            this.backlog = backlog;
            HubRef current = HubRef.currentIfAny();
            if (current != null) {
                if (hubs > 1) {
                    throw new IllegalStateException("gevent.http.hubs=" + hubs + " applies to a server created outside any"
                            + " hub; this one is created in " + current.name() + " and serves there");
                }
                acceptors.add(new Acceptor(this, current, listen(address, false), false));
                return;
            }
            Hub hub = Hub.startThread("gevent-http-0");
            ownHubs.add(hub);
            boolean reusePort = hubs > 1;
            try {
                acceptors.add(HubCall.call(hub, () -> new Acceptor(this, HubRef.current(), listen(address, reusePort), reusePort)));
            } catch (IOException | RuntimeException e) {
                closeHubs();
                ownHubs.clear();
                throw e;
            }
        }
    }

    private ServerSocket listen(InetSocketAddress address, boolean reusePort) throws IOException {
        return ServerSocket.bind(address, backlog <= 0 ? ServerSocket.DEFAULT_BACKLOG : backlog, reusePort);
    }

    /**
     * Sets how many hub threads serve, each with its own SO_REUSEPORT listener on the port; before
     * {@link #start()}, for a server created outside any hub.
     */
    public void hubs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("hubs must be at least 1, got " + n);
        }
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("hubs: the server is already started");
            }
            if (n > 1 && !acceptors.isEmpty() && ownHubs.isEmpty()) {
                throw new IllegalStateException("hubs(" + n + ") applies to a server created outside any hub; this one"
                        + " serves in the hub that created it (" + acceptors.get(0).hub.name() + ")");
            }
            hubs = n;
        }
    }

    /** Starts serving; with several hubs, starts the others, each listening on the same port. */
    public void start() {
        synchronized (lock) {
            if (acceptors.isEmpty()) {
                throw new IllegalStateException("the server is not bound: call bind(address, backlog) first");
            }
            if (started || stopped) {
                throw new IllegalStateException("the server was already " + (stopped ? "stopped" : "started"));
            }
            started = true;
            try {
                addHubs();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("starting " + hubs + " hubs on port " + getAddress().getPort(), e);
            }
            for (Acceptor a : acceptors) {
                if (a.hub.isHubThread()) {
                    a.start();
                } else {
                    a.hub.hub().spawn(a::start);
                }
            }
        }
    }

    private void addHubs() throws IOException {
        if (hubs <= 1 || ownHubs.isEmpty()) {
            return;
        }
        InetSocketAddress address = getAddress();
        Acceptor first = acceptors.get(0);
        if (!first.reusePort) {
            // bound before the hub count was known: listen again, now sharing the port
            HubCall.call(ownHubs.get(0), () -> {
                first.listener.close();
                return null;
            });
            acceptors.set(0, HubCall.call(ownHubs.get(0), () -> new Acceptor(this, HubRef.current(), listen(address, true), true)));
        }
        for (int i = acceptors.size(); i < hubs; i++) {
            Hub hub = Hub.startThread("gevent-http-" + i);
            ownHubs.add(hub);
            acceptors.add(HubCall.call(hub, () -> new Acceptor(this, HubRef.current(), listen(address, true), true)));
        }
    }

    /**
     * The JDK's stop: closes the listeners, waits up to {@code delaySeconds} for running exchanges,
     * then closes every connection; the server's own hub threads end. Blocks the caller.
     */
    public void stop(int delaySeconds) {
        if (delaySeconds < 0) {
            throw new IllegalArgumentException("negative delay: " + delaySeconds);
        }
        List<Acceptor> all;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            stopped = true;
            all = List.copyOf(acceptors);
        }
        Duration grace = Duration.ofSeconds(delaySeconds);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Acceptor a : all) {
            if (a.hub.isHubThread()) {
                a.stop(grace);
            } else {
                CompletableFuture<Void> f = new CompletableFuture<>();
                a.hub.hub().spawn(() -> {
                    try {
                        a.stop(grace);
                    } finally {
                        f.complete(null);
                    }
                });
                done.add(f);
            }
        }
        for (CompletableFuture<Void> f : done) {
            f.join();
        }
        closeHubs();
    }

    private void closeHubs() {
        for (Hub hub : ownHubs) {
            hub.close();
        }
    }

    /**
     * Serves HTTP on an already connected socket, in the calling greenlet, until the client or a
     * response ends the connection. The socket is not closed.
     */
    public void serveConnection(dev.gevent.socket.StreamSocket socket) {
        new Connection(this, null, Objects.requireNonNull(socket, "socket")).serve();
    }

    /** @return the bound address, or null before {@link #bind} */
    public InetSocketAddress getAddress() {
        synchronized (lock) {
            return acceptors.isEmpty() ? null : acceptors.get(0).address;
        }
    }

    public void setExecutor(Executor executor) {
        this.executor = executor;
    }

    public Executor getExecutor() {
        return executor;
    }

    public void setHttpsConfigurator(HttpsConfigurator configurator) {
        this.httpsConfigurator = Objects.requireNonNull(configurator, "configurator");
    }

    public HttpsConfigurator getHttpsConfigurator() {
        return httpsConfigurator;
    }

    /** @return the configurator of an HTTPS server; null for plain HTTP */
    HttpsConfigurator httpsConfigurator() {
        if (!secure) {
            return null;
        }
        HttpsConfigurator c = httpsConfigurator;
        if (c == null) {
            throw new IllegalStateException("HttpsServer: setHttpsConfigurator was not called");
        }
        return c;
    }

    public void maxRequestBody(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxRequestBody must not be negative, got " + bytes);
        }
        maxRequestBody = bytes;
    }

    public long maxRequestBody() {
        return maxRequestBody;
    }

    public void headerTimeout(Duration timeout) {
        headerTimeout = positive("headerTimeout", timeout);
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    public void idleTimeout(Duration timeout) {
        idleTimeout = positive("idleTimeout", timeout);
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    private static Duration positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }

    public synchronized HttpContext createContext(String path, HttpHandler handler) {
        checkPath(path);
        for (Context c : contexts) {
            if (c.getPath().equals(path)) {
                throw new IllegalArgumentException("a context for " + path + " already exists");
            }
        }
        Context c = new Context(path, handler, owner);
        Context[] more = Arrays.copyOf(contexts, contexts.length + 1);
        more[contexts.length] = c;
        contexts = more;
        return c;
    }

    public synchronized void removeContext(String path) {
        checkPath(path);
        for (Context c : contexts) {
            if (c.getPath().equals(path)) {
                removeContext(c);
                return;
            }
        }
        throw new IllegalArgumentException("no context for " + path);
    }

    public synchronized void removeContext(HttpContext context) {
        Context[] now = contexts;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == context) {
                Context[] fewer = new Context[now.length - 1];
                System.arraycopy(now, 0, fewer, 0, i);
                System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
                contexts = fewer;
                return;
            }
        }
        throw new IllegalArgumentException("not a context of this server: " + context);
    }

    private static void checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a context path must start with '/': " + path);
        }
    }

    /** The JDK's rule: the context whose path is the longest prefix of the request's path. */
    Context findContext(Connection connection, URI uri) {
        Context[] all = contexts;
        Context best = null;
        if (connection.hasPlainPath()) {
            for (Context c : all) {
                byte[] raw = c.rawPath;
                if (raw != null && (best == null || raw.length > best.rawPath.length) && connection.rawPathStartsWith(raw)) {
                    best = c;
                }
            }
            return best;
        }
        String path = connection.decodedPath(uri);
        if (path == null) {
            return null;
        }
        for (Context c : all) {
            if (path.startsWith(c.getPath()) && (best == null || c.getPath().length() > best.getPath().length())) {
                best = c;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return (secure ? "HttpsServer[" : "HttpServer[") + getAddress() + "]";
    }
}
