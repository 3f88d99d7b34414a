package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.http.HttpServer;
import java.io.IOException;
import java.io.PrintStream;

/** What the HTTP examples share: one PORT argument, and a server in the main thread's hub until killed. */
final class HttpExamples {
    /** Starts an example's server in the calling thread's hub. */
    @FunctionalInterface
    interface Starter {
        HttpServer start(int port, PrintStream log) throws IOException;
    }

    private HttpExamples() {
    }

    /**
     * Starts the server in the calling platform thread's hub and serves until the process is killed.
     *
     * @param args "PORT"
     * @param starter the example's start
     * @throws IOException if it cannot listen
     */
    static void serve(String[] args, Starter starter) throws IOException {
        if (args.length != 1) {
            throw new Args.Bad(args.length == 0 ? "PORT missing" : "one PORT expected");
        }
        int port = Args.port(args[0]);
        try (Hub hub = Gevent.getHub()) {
            starter.start(port, System.out);
            hub.join();
        }
    }
}
