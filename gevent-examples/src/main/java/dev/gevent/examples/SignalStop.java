package dev.gevent.examples;

import dev.gevent.Cancellable;
import dev.gevent.Gevent;
import dev.gevent.server.StreamServer;
import java.io.IOException;

/**
 * Serving until SIGTERM or SIGINT, with {@link Gevent#signalHandler}: the handler runs in a new
 * greenlet of the server's hub and stops the server, and {@code serveForever} returns.
 */
final class SignalStop {
    private SignalStop() {
    }

    /**
     * Serves until TERM or INT runs {@code shutdown} (which stops {@code server}). Afterwards the
     * JVM's own handlers are back: a second signal ends the process at once.
     *
     * @param server a started server of the calling thread's hub
     * @param shutdown what a signal runs, in a greenlet
     * @throws IOException if serving fails
     */
    static void serveUntilSignalled(StreamServer server, Runnable shutdown) throws IOException {
        Cancellable term = Gevent.signalHandler("TERM", shutdown);
        Cancellable interrupt = Gevent.signalHandler("INT", shutdown);
        try {
            server.serveForever();
        } finally {
            term.cancel();
            interrupt.cancel();
        }
    }
}
