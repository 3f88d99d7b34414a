package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.tck.OpenFileDescriptors;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.event.AsyncResult;
import dev.gevent.event.Event;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Stopping a {@code gevent.server.StreamServer}: {@code stop()} closes the listener at once, so new
 * connections are refused and the port can be bound again, and lets running handlers finish; it is
 * idempotent and {@code close()} is the same. {@code stop(timeout)} waits for the handlers that finish within the grace period and
 * kills the rest, whose connections are closed. {@code serve_forever()} blocks until the server is
 * stopped, from a greenlet or a plain thread, and a kill or Timeout that ends it stops the server. A
 * stopped server cannot be started, and a server stopped on a hub that is then closed leaves no
 * file descriptor open.
 */
@GeventTck
public class StreamServerStopTck {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(Loopback.IPV4, 0);
    /** Far longer than any step of a correct test: a wait this long would mean the grace period was sat out. */
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** Room for descriptors the JVM itself opens meanwhile (class files, JIT logs). */
    private static final long SLACK = 5;

    @Test
    void stopClosesTheListenerSoNewConnectionsAreRefused() throws Exception {
        StreamServer server = new StreamServer(ANY_PORT, new EchoHandler());
        server.start();
        InetSocketAddress address = server.address();
        try (Socket client = Socket.connect(address)) {
            EchoHandler.expectEcho(client, "served before stop");
        }
        // The accept loop waits in accept() again: stop() must close a listener that is waited on.
        server.stop();
        assertFalse(server.started());
        assertThrows(ConnectException.class, () -> Socket.connect(address).close());
    }

    @Test
    void aStoppedServersPortCanBeBoundAgainAtOnce() throws Exception {
        StreamServer first = new StreamServer(ANY_PORT, new EchoHandler());
        first.start();
        InetSocketAddress address = first.address();
        try (Socket client = Socket.connect(address)) {
            EchoHandler.expectEcho(client, "served by the first server");
        }
        first.stop();
        try (StreamServer second = new StreamServer(address, new EchoHandler())) {
            second.start();
            try (Socket client = Socket.connect(address)) {
                EchoHandler.expectEcho(client, "served by the second server on the same port");
            }
        }
    }

    @Test
    void stopLetsRunningHandlersFinish() throws Exception {
        HeldHandlers handlers = new HeldHandlers();
        StreamServer server = new StreamServer(ANY_PORT, handlers);
        server.start();
        InetSocketAddress address = server.address();
        try (Socket client = Socket.connect(address)) {
            Event release = handlers.nextEntered();
            server.stop();
            assertThrows(ConnectException.class, () -> Socket.connect(address).close());
            Gevent.idle();
            assertEquals(1, handlers.running(), "stop() ended a running handler");

            release.set();
            HeldHandlers.expectDone(client);
            assertEquals(1, handlers.finished());
            assertEquals(0, handlers.killed());
        }
    }

    @Test
    void stopIsIdempotent() throws Exception {
        HeldHandlers handlers = new HeldHandlers();
        StreamServer server = new StreamServer(ANY_PORT, handlers);
        server.start();
        InetSocketAddress address = server.address();
        try (Socket client = Socket.connect(address)) {
            Event release = handlers.nextEntered();
            server.stop();
            server.stop();
            server.close();
            assertFalse(server.started());
            assertThrows(ConnectException.class, () -> Socket.connect(address).close());
            assertEquals(1, handlers.running());
            release.set();
            HeldHandlers.expectDone(client);
            server.stop();
        }
    }

    @Test
    void closeIsStop() throws Exception {
        HeldHandlers handlers = new HeldHandlers();
        InetSocketAddress address;
        Event release;
        Socket client;
        try (StreamServer server = new StreamServer(ANY_PORT, handlers)) {
            server.start();
            address = server.address();
            client = Socket.connect(address);
            release = handlers.nextEntered();
        }
        try (client) {
            assertThrows(ConnectException.class, () -> Socket.connect(address).close());
            Gevent.idle();
            assertEquals(1, handlers.running(), "close() ended a running handler");
            release.set();
            HeldHandlers.expectDone(client);
            assertEquals(0, handlers.killed());
        }
    }

    @Test
    void stopWithAGracePeriodWaitsForHandlersThatFinishWithinIt() throws Exception {
        HeldHandlers handlers = new HeldHandlers();
        StreamServer server = new StreamServer(ANY_PORT, handlers);
        server.start();
        try (Socket client = Socket.connect(server.address())) {
            Event release = handlers.nextEntered();
            // Runs once stop() waits: the handler finishes during the grace period.
            Greenlet<Boolean> releaser = Gevent.spawn(() -> {
                boolean stopping = !server.started();
                release.set();
                return stopping;
            });
            long start = System.nanoTime();
            server.stop(LONG);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(releaser.get(), "the handler was released after stop began");
            assertEquals(1, handlers.finished());
            assertEquals(0, handlers.killed());
            assertEquals(0, handlers.running(), "stop(grace) returned before the handler finished");
            assertTrue(took.compareTo(PROMPTLY) < 0, () -> "stop(grace) took " + took + ": it sat out the grace period");
            HeldHandlers.expectDone(client);
        }
    }

    @Test
    void stopWithAGracePeriodKillsHandlersThatOutliveIt() throws Exception {
        HeldHandlers handlers = new HeldHandlers();
        StreamServer server = new StreamServer(ANY_PORT, handlers);
        server.start();
        try (Socket finishing = Socket.connect(server.address()); Socket stuck = Socket.connect(server.address())) {
            Event releaseFinishing = handlers.nextEntered();
            handlers.nextEntered();
            Gevent.spawn(releaseFinishing::set);
            server.stop(Duration.ofMillis(200));

            assertEquals(0, handlers.running(), "stop(grace) returned before the killed handler died");
            assertEquals(1, handlers.finished());
            assertEquals(1, handlers.killed(), "the handler that outlived the grace period saw GreenletExit");
            HeldHandlers.expectDone(finishing);
            HeldHandlers.expectClosedWithoutDone(stuck);
        }
    }

    @Test
    void serveForeverBlocksUntilAnotherGreenletStopsTheServer() throws Exception {
        StreamServer server = new StreamServer(ANY_PORT, new EchoHandler());
        // Runs once serveForever blocks: the server is bound by then.
        Greenlet<Void> client = Gevent.spawn(() -> {
            try (Socket socket = Socket.connect(server.address())) {
                EchoHandler.expectEcho(socket, "served while serveForever blocks");
            }
            server.stop();
        });
        server.serveForever();
        assertTrue(client.dead(), "serveForever returned before it was stopped");
        client.get();
        assertFalse(server.started());
    }

    @Test
    void serveForeverBlocksUntilAPlainThreadStopsTheServer() throws Exception {
        StreamServer server = new StreamServer(ANY_PORT, new EchoHandler());
        server.start();
        int port = server.address().getPort();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (java.net.Socket socket = new java.net.Socket(Loopback.IPV4, port)) {
                EchoHandler.expectEcho(socket, "served while serveForever blocks");
                server.stop();
                stopped.complete(null);
            } catch (Throwable e) {
                stopped.completeExceptionally(e);
                server.stop();
            }
        });
        server.serveForever();
        AsyncResult.of(stopped).get(PROMPTLY);
        assertFalse(server.started());
        assertThrows(ConnectException.class, () -> Socket.connect(new InetSocketAddress(Loopback.IPV4, port)).close());
    }

    @Test
    void killingTheGreenletInServeForeverStopsTheServer() throws Exception {
        StreamServer server = new StreamServer(ANY_PORT, new EchoHandler());
        server.start();
        InetSocketAddress address = server.address();
        Greenlet<Void> serving = Gevent.spawn(() -> server.serveForever());
        Gevent.idle();
        assertFalse(serving.dead(), "serveForever returned while the server was running");

        serving.kill();
        assertFalse(server.started());
        assertThrows(ConnectException.class, () -> Socket.connect(address).close());
    }

    @Test
    void aTimeoutThatEndsServeForeverStopsTheServer() throws Exception {
        StreamServer server = new StreamServer(ANY_PORT, new EchoHandler());
        Timeout timeout = Timeout.startNew(Duration.ofMillis(50));
        Timeout raised = assertThrows(Timeout.class, server::serveForever);
        assertSame(timeout, raised);
        assertFalse(server.started());
        assertThrows(ConnectException.class, () -> Socket.connect(server.address()).close());
    }

    @Test
    void aServerStoppedBeforeItStartedCannotStart() {
        StreamServer server = new StreamServer(ANY_PORT, new EchoHandler());
        server.stop();
        assertThrows(IllegalStateException.class, server::start);
        assertThrows(IllegalStateException.class, server::serveForever);
        assertFalse(server.started());
    }

    @Test
    void aStoppedServerCannotStartAgain() throws Exception {
        StreamServer server = new StreamServer(ANY_PORT, new EchoHandler());
        server.start();
        server.stop();
        assertThrows(IllegalStateException.class, server::start);
        assertFalse(server.started());
    }

    @Test
    void aServerStoppedOnAHubThatIsThenClosedLeavesNoDescriptorOpen() throws Exception {
        // The first round loads classes and opens what the JDK keeps open for good.
        serveOnAHubOfItsOwnThenStopAndCloseIt(true);
        serveOnAHubOfItsOwnThenStopAndCloseIt(false);
        long before = OpenFileDescriptors.count();
        for (int i = 0; i < 10; i++) {
            serveOnAHubOfItsOwnThenStopAndCloseIt(i % 2 == 0);
        }
        long after = OpenFileDescriptors.count();
        assertTrue(after <= before + SLACK, () -> "descriptors open: " + before + " before, " + after + " after");
    }

    /**
     * Serves three connections on a new hub: one handler finishes, the other two are still held
     * when the server is stopped, either killed by {@code stop(Duration.ZERO)} or left running for
     * the hub's close to kill; the clients of the last two are left for the hub to close.
     */
    private static void serveOnAHubOfItsOwnThenStopAndCloseIt(boolean killOnStop) {
        Hub hub = Hub.startThread("stream-server-stop-tck");
        try {
            hub.spawn(() -> {
                HeldHandlers handlers = new HeldHandlers();
                StreamServer server = new StreamServer(ANY_PORT, handlers);
                server.start();
                try (Socket finished = Socket.connect(server.address())) {
                    handlers.nextEntered().set();
                    HeldHandlers.expectDone(finished);
                }
                Socket.connect(server.address());
                Socket.connect(server.address());
                handlers.nextEntered();
                handlers.nextEntered();
                if (killOnStop) {
                    server.stop(Duration.ZERO);
                } else {
                    server.stop();
                }
                return null;
            }).get(PROMPTLY);
        } finally {
            hub.close();
        }
    }
}
