package dev.gevent.server;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.internal.HubRef;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * The life cycle both servers share (gevent: {@code gevent.baseserver.BaseServer}): start binds the
 * server's socket and runs its loop (accept or receive) in a greenlet of the calling thread's hub;
 * serveForever waits for that greenlet; stop closes the socket, which ends the loop, and may come
 * from any thread. A stopped server cannot be started again.
 */
abstract class BaseServer implements AutoCloseable {
    final SocketAddress listen;
    /** The owning hub, set by start. */
    volatile HubRef hub;
    private volatile SocketAddress bound;
    private Greenlet<Void> loop;
    private volatile boolean started;
    private volatile boolean stopped;

    BaseServer(SocketAddress listen) {
        this.listen = Objects.requireNonNull(listen, "listen");
    }

    /**
     * Opens the server's socket. On the owning hub, before {@link #serve()}.
     *
     * @return the address it is bound to
     */
    abstract SocketAddress open() throws IOException;

    /** The accept or receive loop: returns once the socket is closed or the server stopped. */
    abstract void serve();

    /** Closes the server's socket, if open. On the owning hub. */
    abstract void closeSocket() throws IOException;

    /**
     * Binds the server's socket and starts serving in a greenlet of the calling thread's hub.
     *
     * @throws java.net.BindException if the address is in use
     * @throws IOException if the socket cannot be opened
     * @throws IllegalStateException if already started or stopped
     */
    public void start() throws IOException {
        checkNotStarted("start");
        HubRef owner = HubRef.current();
        hub = owner;
        bound = open();
        loop = Gevent.spawn(this::serve);
        started = true;
    }

    /**
     * Starts the server if needed, then blocks the calling greenlet until it is stopped. A kill or
     * Timeout that ends the wait stops the server.
     *
     * @throws IOException if it could not start
     */
    public void serveForever() throws IOException {
        if (!started) {
            start();
        }
        try {
            loop.join();
        } catch (Throwable e) {
            stop();
            throw e;
        }
    }

    /**
     * Stops serving and closes the server's socket. Idempotent; any thread (from another thread
     * than the owning hub's, it happens soon after this returns).
     */
    public void stop() {
        HubRef owner = hub;
        if (owner != null && !owner.isHubThread()) {
            owner.execute(this::stop);
            return;
        }
        if (stopped) {
            return;
        }
        stopped = true;
        if (owner == null) {
            return;
        }
        try {
            closeSocket();
        } catch (IOException e) {
            owner.reportError(this, e);
        }
        if (loop != null) {
            // it may be waiting elsewhere than on the socket (for room in a pool, before a retry)
            loop.killAsync(new GreenletExit("the server stopped"));
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * @return after {@link #start()}, the address it is bound to (with the port chosen for port 0);
     *     before, the one it was given; null if that is not an internet address
     */
    public InetSocketAddress address() {
        return listenAddress() instanceof InetSocketAddress inet ? inet : null;
    }

    /** @return as {@link #address()}, of any family (a Unix domain path included) */
    public SocketAddress listenAddress() {
        SocketAddress b = bound;
        return b != null ? b : listen;
    }

    /** @return true while serving: started and not stopped */
    public boolean started() {
        return started && !stopped;
    }

    /** @return true once {@link #stop()} was called */
    final boolean stopped() {
        return stopped;
    }

    /** @throws IllegalStateException if the server was started or stopped: configuration comes first */
    final void checkNotStarted(String what) {
        if (started || stopped) {
            throw new IllegalStateException(what + ": the server was already " + (stopped ? "stopped" : "started")
                    + "; configure and start a server once");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + listenAddress() + (started() ? ", serving" : stopped ? ", stopped" : "") + "]";
    }
}
