package dev.gevent.server;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.internal.HubRef;
import dev.gevent.pool.Group;
import dev.gevent.pool.Pool;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.socket.StreamSocket;
import dev.gevent.ssl.SslSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A TCP, TLS or Unix domain server that runs a {@link ConnectionHandler} in a greenlet per
 * connection (gevent: {@code gevent.server.StreamServer}). Handlers write plain sequential code;
 * their blocking calls park only their own greenlet.
 *
 * <p><b>Life cycle.</b> Configure ({@link #ssl}, {@link #backlog}, {@link #reusePort}, {@link #hubs(int)}), then
 * {@link #start()} binds the listener and starts the accept loop in the calling thread's hub and
 * returns; {@link #serveForever()} starts if needed and blocks the calling greenlet until the
 * server is stopped. {@link #stop()} closes the listener and lets running handlers finish;
 * {@link #stop(Duration)} also waits for them, up to a grace period, then kills the rest. A stopped
 * server cannot be started again. The hub that starts the server owns it; {@code stop} may be
 * called from any thread.
 *
 * <p><b>Connections.</b> Each connection's socket is closed when its handler returns or throws, or
 * when its greenlet is killed before it ran (by the pool or the hub closing); an exception is
 * reported to the hub's error handler and ends that connection only. With a
 * {@link Pool} (gevent: {@code spawn=pool}) the server accepts only while the pool has room, so at
 * most its size connections are served at once and the rest wait in the listen backlog. With TLS
 * the handshake runs in the connection's greenlet, on its first read or write, so a slow client
 * never holds up the accept loop. An accept that fails for another reason than the server stopping
 * (too many open files) is reported and retried after a delay that doubles from 10 ms up to 1 s, as
 * gevent does.
 *
 * <p><b>Thread per core.</b> {@link #hubs(int) hubs(n)} serves on n hubs of the server's own, one
 * platform thread each ({@link Hub#startThread}), rather than on the hub that calls
 * {@code start}: each hub has its own listener on the same address, with SO_REUSEPORT when n is
 * above one, so the kernel spreads the connections among them, and each connection is served
 * entirely on the hub that accepted it. The handler then runs on n threads at once: what its
 * invocations share must be thread-safe (the greenlets of one hub still never run at once).
 * {@code stop} closes every hub's listener, and returns once they are closed (from the hub that
 * started the server); each hub closes, and its thread ends, once its last handler has returned. {@code start} and {@code serveForever} are called as usual, from any
 * hub; {@code serveForever} returns when the server is stopped, as with one hub, and
 * {@code stop(Duration)} returns once every hub has closed.
 */
public class StreamServer extends BaseServer {
    private static final Duration FIRST_ACCEPT_RETRY = Duration.ofMillis(10);
    private static final Duration LAST_ACCEPT_RETRY = Duration.ofSeconds(1);
    /** Numbers the thread names of the servers with hubs of their own. */
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final ConnectionHandler handler;
    private final Group handlers;
    private final Pool pool;
    private SSLContext sslContext;
    private int backlog = ServerSocket.DEFAULT_BACKLOG;
    private boolean reusePort;
    private int hubCount;
    private ServerSocket listener;
    /** The hubs of {@link #hubs(int)}, once started. */
    private HubShards shards;

    /**
     * A server that spawns a greenlet per connection without bound.
     *
     * @param listen where to listen: an {@link InetSocketAddress} (port 0: any free port; see
     *     {@link #address()} after start) or a {@link java.net.UnixDomainSocketAddress}
     * @param handler what serves each connection
     */
    public StreamServer(SocketAddress listen, ConnectionHandler handler) {
        this(listen, handler, null);
    }

    /**
     * A server whose connection greenlets run in {@code pool}, so at most its size at once.
     *
     * @param listen as for {@link #StreamServer(SocketAddress, ConnectionHandler)}
     * @param handler what serves each connection
     * @param pool bounds the concurrent connections; null for no bound
     */
    public StreamServer(SocketAddress listen, ConnectionHandler handler, Pool pool) {
        super(listen);
        this.handler = Objects.requireNonNull(handler, "handler");
        this.pool = pool;
        this.handlers = pool != null ? pool : new Group();
    }

    /**
     * Makes the server speak TLS: each connection is wrapped in an {@link SslSocket} in server mode.
     *
     * @param context the server's keys and trust ({@code SSLContext.init} with a key manager)
     * @return this server
     * @throws IllegalStateException if already started
     */
    public StreamServer ssl(SSLContext context) {
        checkNotStarted("ssl");
        this.sslContext = Objects.requireNonNull(context, "context");
        return this;
    }

    /**
     * @param backlog the listen backlog (default {@value ServerSocket#DEFAULT_BACKLOG}; 0 or less:
     *     the backend's default)
     * @return this server
     * @throws IllegalStateException if already started
     */
    public StreamServer backlog(int backlog) {
        checkNotStarted("backlog");
        this.backlog = backlog;
        return this;
    }

    /**
     * Sets SO_REUSEPORT on the listener, so that servers on several hubs (one per core) listen on
     * the same port and the kernel spreads connections among them.
     *
     * @param reusePort whether to
     * @return this server
     * @throws IllegalStateException if already started
     */
    public StreamServer reusePort(boolean reusePort) {
        checkNotStarted("reusePort");
        this.reusePort = reusePort;
        return this;
    }

    /**
     * Serves on {@code count} hubs of the server's own, one platform thread each, each with its own
     * listener on the address (SO_REUSEPORT when {@code count} is above one): the thread-per-core
     * server. See "Thread per core" above.
     *
     * @param count how many hubs, usually the number of cores the server may use
     * @return this server
     * @throws IllegalArgumentException if {@code count} is less than one
     * @throws IllegalStateException if already started, or the server has a {@link Pool} (a pool
     *     belongs to one hub)
     */
    public StreamServer hubs(int count) {
        checkNotStarted("hubs");
        if (count < 1) {
            throw new IllegalArgumentException("hubs: at least one hub, got " + count);
        }
        if (pool != null) {
            throw new IllegalStateException("hubs(" + count + "): this server spawns its handlers in a Pool, and a pool"
                    + " belongs to one hub; bound the connections some other way, or serve on the calling hub");
        }
        this.hubCount = count;
        return this;
    }

    /**
     * @return the hubs the server serves on: after {@link #start()}, those of {@link #hubs(int)}, or
     *     the hub that started it; before, none
     */
    public List<Hub> hubs() {
        if (hubCount > 0) {
            return shards == null ? List.of() : shards.hubs();
        }
        HubRef owner = hub;
        return owner == null ? List.of() : List.of(owner.hub());
    }

    @Override
    SocketAddress open() throws IOException {
        if (hubCount > 0) {
            if (hubCount > 1 && !(listen instanceof InetSocketAddress)) {
                throw new IllegalStateException("hubs(" + hubCount + ") shares one port among listeners with SO_REUSEPORT,"
                        + " which needs an internet address, not " + listen);
            }
            shards = HubShards.start(hubCount, listen, "gevent-server-" + SERVERS.incrementAndGet(), this::newShard);
            return shards.address();
        }
        listener = ServerSocket.bind(listen, backlog, reusePort);
        return listener.address();
    }

    /** @return a one-hub server configured as this one, for one of its hubs */
    private StreamServer newShard(SocketAddress address) {
        StreamServer shard = new StreamServer(address, handler).backlog(backlog).reusePort(reusePort || hubCount > 1);
        if (sslContext != null) {
            shard.ssl(sslContext);
        }
        return shard;
    }

    @Override
    void closeSocket() throws IOException {
        if (shards != null) {
            shards.stop();
        }
        if (listener != null) {
            listener.close();
        }
    }

    /** Blocks until the handlers of the connections accepted so far have all returned. */
    void awaitHandlers() {
        handlers.join();
    }

    @Override
    void serve() {
        if (shards != null) {
            shards.awaitClosed();
            return;
        }
        Duration retry = FIRST_ACCEPT_RETRY;
        while (!stopped()) {
            if (pool != null) {
                pool.waitAvailable();
            }
            Socket connection;
            try {
                connection = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopped()) {
                    return;
                }
                hub.reportError(this, e);
                Gevent.sleep(retry);
                Duration doubled = retry.multipliedBy(2);
                retry = doubled.compareTo(LAST_ACCEPT_RETRY) > 0 ? LAST_ACCEPT_RETRY : doubled;
                continue;
            }
            retry = FIRST_ACCEPT_RETRY;
            Greenlet<Void> served = Greenlet.of(() -> handle(connection));
            // a greenlet killed before it ran never calls handle(), which closes the connection
            served.rawlink(() -> closeUnserved(connection));
            handlers.start(served);
        }
    }

    private void closeUnserved(Socket connection) {
        try {
            connection.close();
        } catch (IOException e) {
            hub.reportError(this, e);
        }
    }

    private void handle(Socket connection) throws Exception {
        StreamSocket socket = connection;
        try {
            if (sslContext != null) {
                socket = SslSocket.server(connection, sslContext);
            }
            handler.handle(socket, connection.remoteAddress());
        } catch (Throwable e) {
            closeAfter(socket, e);
            throw e;
        }
        socket.close();
    }

    private static void closeAfter(StreamSocket socket, Throwable cause) {
        try {
            socket.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Stops accepting and closes the listener; running handlers go on until they return.
     * Idempotent; any thread (from another thread than the owning hub's, it happens soon after
     * this returns). With {@link #hubs(int)}, on the owning hub it waits until every hub's listener
     * is closed, a blocking call: make it from a greenlet or the main greenlet, not a hub callback.
     */
    @Override
    public void stop() {
        super.stop();
    }

    /**
     * Stops accepting, waits up to {@code graceful} for running handlers to return, then kills the
     * rest and waits for them to die (gevent: {@code stop(timeout)}). Blocks the calling greenlet;
     * from a thread other than the owning hub's, it blocks that thread until done.
     *
     * @param graceful how long the handlers may take to finish
     */
    public void stop(Duration graceful) {
        Objects.requireNonNull(graceful, "graceful");
        HubRef owner = hub;
        if (owner != null && !owner.isHubThread()) {
            owner.hub().spawn(() -> stop(graceful)).join();
            return;
        }
        stop();
        if (shards != null) {
            shards.stop(graceful);
        } else if (!handlers.join(graceful)) {
            handlers.kill();
        }
    }

    @Override
    public String toString() {
        return super.toString() + (sslContext != null ? "[TLS]" : "") + (shards != null ? "[" + shards + "]" : "");
    }
}
