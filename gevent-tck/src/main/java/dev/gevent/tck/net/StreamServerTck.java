package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.event.AsyncResult;
import dev.gevent.event.Event;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.Socket;
import dev.gevent.socket.StreamSocket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gevent.server.StreamServer} serving connections: each connection is handled in a greenlet
 * of its own, so a handler that blocks holds up only its own client; the handler gets the client's
 * address; the server closes the connection when the handler returns or throws, and a handler's
 * exception is reported to the hub's error handler while the server goes on serving. The server's
 * address is the one given until it starts and the bound one (with the chosen port) after; a server
 * is configured and started once. It serves TCP and Unix domain sockets, a thousand clients at
 * once, and clients that are JDK sockets in greenlets or on plain threads.
 */
@GeventTck
public class StreamServerTck {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(Loopback.IPV4, 0);
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @Test
    void echoesEachConnection() throws Exception {
        try (StreamServer server = new StreamServer(ANY_PORT, new EchoHandler())) {
            server.start();
            for (int i = 0; i < 3; i++) {
                try (Socket client = Socket.connect(server.address())) {
                    EchoHandler.expectEcho(client, "connection " + i);
                }
            }
        }
    }

    @Test
    void aHandlerBlockedOnAnEventDoesNotStopOtherConnectionsBeingServed() throws Exception {
        Event holding = new Event();
        Event release = new Event();
        AsyncResult<String> held = new AsyncResult<>();
        try (StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
            if (socket.recv(1)[0] == 'h') {
                holding.set();
                release.await();
                held.set("released");
                socket.sendAll("released".getBytes(StandardCharsets.UTF_8));
            } else {
                EchoHandler.echo(socket);
            }
        })) {
            server.start();
            try (Socket holder = Socket.connect(server.address())) {
                holder.sendAll(new byte[] {'h'});
                holding.await();
                for (int i = 0; i < 3; i++) {
                    try (Socket client = Socket.connect(server.address())) {
                        client.sendAll(new byte[] {'e'});
                        EchoHandler.expectEcho(client, "served while another handler waits " + i);
                    }
                }
                assertFalse(held.ready(), "the held handler went on before it was released");
                release.set();
                assertArrayEquals("released".getBytes(StandardCharsets.UTF_8), holder.inputStream().readAllBytes());
                assertEquals("released", held.get(PROMPTLY));
            }
        }
    }

    @Test
    void theHandlerGetsTheClientsAddress() throws Exception {
        AsyncResult<SocketAddress> seen = new AsyncResult<>();
        try (StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
            seen.set(peer);
            EchoHandler.echo(socket);
        })) {
            server.start();
            try (Socket client = Socket.connect(server.address())) {
                EchoHandler.expectEcho(client, "who am I");
                assertEquals(client.localAddress(), seen.get(PROMPTLY));
            }
        }
    }

    @Test
    void theConnectionIsClosedWhenTheHandlerReturns() throws Exception {
        AsyncResult<StreamSocket> served = new AsyncResult<>();
        try (StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
            served.set(socket);
            socket.sendAll("bye".getBytes(StandardCharsets.UTF_8));
        })) {
            server.start();
            try (Socket client = Socket.connect(server.address())) {
                client.setTimeout(PROMPTLY);
                assertArrayEquals("bye".getBytes(StandardCharsets.UTF_8), client.inputStream().readAllBytes(),
                        "the client reads what the handler sent, then the end of the stream");
                Socket serverSide = assertInstanceOf(Socket.class, served.get(PROMPTLY));
                assertFalse(serverSide.isOpen(), "the server closed the connection after its handler returned");
            }
        }
    }

    @Test
    void theConnectionIsClosedWhenTheHandlerThrows() throws Exception {
        AsyncResult<StreamSocket> served = new AsyncResult<>();
        // the failure is the point of the test: keep its report off stderr
        Gevent.getHub().setErrorHandler((context, error) -> { });
        try (StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
            served.set(socket);
            throw new IOException("the handler fails on purpose");
        })) {
            server.start();
            try (Socket client = Socket.connect(server.address())) {
                client.setTimeout(PROMPTLY);
                assertArrayEquals(new byte[0], client.inputStream().readAllBytes(), "the client reads the end of the stream");
                Socket serverSide = assertInstanceOf(Socket.class, served.get(PROMPTLY));
                assertFalse(serverSide.isOpen(), "the server closed the connection after its handler threw");
            }
        }
    }

    @Test
    void aHandlersExceptionIsReportedToTheHubsErrorHandlerAndTheServerGoesOnServing() throws Exception {
        IOException failure = new IOException("the handler fails on purpose");
        AsyncResult<Object> context = new AsyncResult<>();
        AsyncResult<Throwable> reported = new AsyncResult<>();
        Gevent.getHub().setErrorHandler((where, error) -> {
            context.set(where);
            reported.set(error);
        });
        try (StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
            if (socket.recv(1)[0] == 'f') {
                throw failure;
            }
            EchoHandler.echo(socket);
        })) {
            server.start();
            try (Socket failing = Socket.connect(server.address())) {
                failing.sendAll(new byte[] {'f'});
                assertSame(failure, reported.get(PROMPTLY));
                assertInstanceOf(Greenlet.class, context.get(), "the context of a handler's failure is its greenlet");
            }
            try (Socket client = Socket.connect(server.address())) {
                client.sendAll(new byte[] {'e'});
                EchoHandler.expectEcho(client, "still serving");
            }
            assertTrue(server.started());
        }
    }

    @Test
    void theAddressBeforeStartIsTheOneGiven() {
        InetSocketAddress given = new InetSocketAddress(Loopback.IPV4, 0);
        StreamServer server = new StreamServer(given, new EchoHandler());
        assertEquals(given, server.address());
        assertFalse(server.started());
    }

    @Test
    void theAddressAfterStartHasThePortTheKernelChose() throws Exception {
        try (StreamServer server = new StreamServer(ANY_PORT, new EchoHandler())) {
            server.start();
            InetSocketAddress bound = server.address();
            assertEquals(Loopback.IPV4, bound.getAddress());
            assertNotEquals(0, bound.getPort());
            try (Socket client = Socket.connect(bound)) {
                EchoHandler.expectEcho(client, "on the chosen port");
            }
        }
    }

    @Test
    void startedIsTrueFromStartUntilStop() throws Exception {
        StreamServer server = new StreamServer(ANY_PORT, new EchoHandler());
        assertFalse(server.started());
        server.start();
        assertTrue(server.started());
        server.stop();
        assertFalse(server.started());
    }

    @Test
    void startingTwiceIsAnIllegalStateException() throws Exception {
        try (StreamServer server = new StreamServer(ANY_PORT, new EchoHandler())) {
            server.start();
            InetSocketAddress bound = server.address();
            assertThrows(IllegalStateException.class, server::start);
            assertEquals(bound, server.address(), "a failed second start leaves the server as it was");
            try (Socket client = Socket.connect(bound)) {
                EchoHandler.expectEcho(client, "still serving");
            }
        }
    }

    @Test
    void configuringAfterStartIsAnIllegalStateException() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        try (StreamServer server = new StreamServer(ANY_PORT, new EchoHandler())) {
            server.start();
            assertThrows(IllegalStateException.class, () -> server.ssl(context));
            assertThrows(IllegalStateException.class, () -> server.backlog(16));
            assertThrows(IllegalStateException.class, () -> server.reusePort(true));
            try (Socket client = Socket.connect(server.address())) {
                EchoHandler.expectEcho(client, "still plain TCP");
            }
        }
    }

    @Test
    void servesAUnixDomainSocket(@TempDir Path dir) throws Exception {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("server.sock"));
        AsyncResult<SocketAddress> seen = new AsyncResult<>();
        try (StreamServer server = new StreamServer(path, (socket, peer) -> {
            seen.set(peer);
            EchoHandler.echo(socket);
        })) {
            try {
                server.start();
            } catch (UnsupportedOperationException | IOException e) {
                assumeTrue(false, "Unix domain sockets cannot be bound here: " + e);
            }
            assertNull(server.address(), "a Unix domain server has no inet address");
            assertEquals(path, server.listenAddress());
            try (Socket client = Socket.connect(path)) {
                EchoHandler.expectEcho(client, "over a Unix domain socket");
            }
            assertInstanceOf(UnixDomainSocketAddress.class, seen.get(PROMPTLY));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void servesAThousandClientsAtOnce() throws Exception {
        int clients = 1_000;
        int[] inHandler = {0};
        Event allIn = new Event();
        try (StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
            // Each handler waits for all the others: the test passes only if all are served at once.
            if (++inHandler[0] == clients) {
                allIn.set();
            }
            allIn.await();
            EchoHandler.echo(socket);
        })) {
            server.start();
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String message = "client " + i;
                all.add(Gevent.spawn(() -> {
                    try (Socket client = Socket.connect(server.address())) {
                        EchoHandler.expectEcho(client, message);
                    }
                }));
            }
            for (Greenlet<Void> g : all) {
                g.get();
            }
            assertEquals(clients, inHandler[0]);
        }
    }

    @Test
    void servesJdkSocketsInGreenlets() throws Exception {
        try (StreamServer server = new StreamServer(ANY_PORT, new EchoHandler())) {
            server.start();
            List<Greenlet<Boolean>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String message = "JDK socket " + i;
                all.add(Gevent.spawn(() -> {
                    try (java.net.Socket client = new java.net.Socket(Loopback.IPV4, server.address().getPort())) {
                        EchoHandler.expectEcho(client, message);
                    }
                    return Thread.currentThread().isVirtual();
                }));
            }
            for (Greenlet<Boolean> g : all) {
                assertTrue(g.get(), "the client ran in a greenlet");
            }
        }
    }

    @Test
    void servesJdkSocketsOnPlainThreads() throws Exception {
        try (StreamServer server = new StreamServer(ANY_PORT, new EchoHandler());
                ExecutorService threads = Executors.newFixedThreadPool(8, Thread.ofPlatform().daemon(true).factory())) {
            server.start();
            int port = server.address().getPort();
            List<CompletableFuture<Boolean>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String message = "plain thread " + i;
                all.add(CompletableFuture.supplyAsync(() -> {
                    try (java.net.Socket client = new java.net.Socket(Loopback.IPV4, port)) {
                        EchoHandler.expectEcho(client, message);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return Thread.currentThread().isVirtual();
                }, threads));
            }
            // AsyncResult.of keeps the hub alive while the threads work; the server serves meanwhile.
            AsyncResult.of(CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new))).get(PROMPTLY);
            for (CompletableFuture<Boolean> f : all) {
                assertFalse(f.join(), "the client ran on a platform thread");
            }
        }
    }
}
