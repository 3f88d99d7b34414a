package dev.gevent.http.internal;

import com.sun.net.httpserver.HttpsConfigurator;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.internal.HubRef;
import dev.gevent.pool.Group;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.socket.StreamSocket;
import dev.gevent.ssl.SslSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * One hub's share of a server: its listener, the greenlet accepting on it and a greenlet per
 * connection. Everything but {@link #stopping()} runs on that hub.
 */
final class Acceptor {
    private static final Duration FIRST_ACCEPT_RETRY = Duration.ofMillis(10);
    private static final Duration LAST_ACCEPT_RETRY = Duration.ofSeconds(1);

    private final ServerCore server;
    final HubRef hub;
    final ServerSocket listener;
    /** The listener's address, read on the hub when made: other threads may ask. */
    final InetSocketAddress address;
    final boolean reusePort;
    private final Group connections = new Group();
    private final Set<Connection> open = new HashSet<>();
    private Greenlet<Void> loop;
    private volatile boolean stopping;

    Acceptor(ServerCore server, HubRef hub, ServerSocket listener, boolean reusePort) {
        this.server = server;
        this.hub = hub;
        this.listener = listener;
        this.address = listener.localAddress();
        this.reusePort = reusePort;
    }

    /** Starts accepting. On the hub. */
    void start() {
        loop = Gevent.spawn(this::acceptLoop);
    }

    boolean stopping() {
        return stopping;
    }

    private void acceptLoop() {
        Duration retry = FIRST_ACCEPT_RETRY;
        while (!stopping) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                hub.reportError(server.owner, e);
                Gevent.sleep(retry);
                Duration doubled = retry.multipliedBy(2);
                retry = doubled.compareTo(LAST_ACCEPT_RETRY) > 0 ? LAST_ACCEPT_RETRY : doubled;
                continue;
            }
            retry = FIRST_ACCEPT_RETRY;
            Greenlet<Void> served = Greenlet.of(() -> serve(socket));
            // a greenlet killed before it ran never reaches serve(), which closes the socket
            served.rawlink(() -> closeQuietly(socket));
            connections.start(served);
        }
    }

    private void serve(Socket plain) throws IOException {
        StreamSocket socket = plain;
        Connection connection = null;
        try {
            plain.setOption(StandardSocketOptions.TCP_NODELAY, true);
            HttpsConfigurator tls = server.httpsConfigurator();
            if (tls != null) {
                InetSocketAddress client = plain.remoteAddress() instanceof InetSocketAddress a ? a : null;
                socket = SslSocket.server(plain, tls.getSSLContext(), TlsParameters.of(tls, client));
            }
            connection = new Connection(server, this, socket);
            open.add(connection);
            connection.serve();
        } finally {
            if (connection != null) {
                open.remove(connection);
            }
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(StreamSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }

    /**
     * Stops accepting, closes the connections waiting for a request, lets the others finish their
     * exchange for up to {@code grace}, then kills what is left. In a greenlet of the hub; blocks it.
     */
    void stop(Duration grace) {
        stopping = true;
        Greenlet<?> caller = Gevent.getCurrent();
        if (connections.contains(caller)) {
            // a handler stopping its own server: it is not waited for, and finishes its exchange
            connections.discard(caller);
        }
        closeQuietly(listener);
        if (loop != null) {
            loop.killAsync(new GreenletExit("the server stopped"));
        }
        for (Connection c : new ArrayList<>(open)) {
            if (c.isIdle()) {
                c.closeIdle();
            }
        }
        if (!connections.join(grace)) {
            connections.kill();
        }
    }

    private static void closeQuietly(ServerSocket listener) {
        try {
            listener.close();
        } catch (IOException e) {
            // closed is closed
        }
    }
}
