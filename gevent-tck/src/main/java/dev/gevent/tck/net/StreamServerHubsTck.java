package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.event.Event;
import dev.gevent.pool.Pool;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.ssl.SslSocket;
import dev.gevent.tck.GeventTck;
import dev.gevent.tck.ssl.SelfSignedCertificate;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The thread-per-core server, {@code StreamServer.hubs(n)}: n hubs of the server's own, each with a
 * SO_REUSEPORT listener on one port, each connection served wholly on the hub that accepted it;
 * TLS is served on every hub; {@code stop()} closes every listener and ends {@code serveForever},
 * and lets the handlers finish, after which each hub closes and its thread ends;
 * {@code stop(timeout)} waits for that. Misuse (no hub, a pool, a Unix domain address with several
 * hubs, a port taken) fails with a specific exception and leaves no hub running.
 */
@GeventTck
public class StreamServerHubsTck {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(Loopback.IPV4, 0);
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** Enough connections that the kernel's hash of their ports sends some to each of two listeners. */
    private static final int CLIENTS = 200;

    @Test
    void twoHubsShareOnePortAndEachServesConnectionsOnItsOwnThread() throws Exception {
        assumeLinux();
        Set<Thread> servingThreads = ConcurrentHashMap.newKeySet();
        StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
            servingThreads.add(Gevent.getHub().thread());
            EchoHandler.echo(socket);
        }).hubs(2);
        server.start();
        try {
            List<Hub> hubs = server.hubs();
            assertEquals(2, hubs.size());
            assertNotSame(hubs.get(0).thread(), hubs.get(1).thread());
            assertFalse(hubs.contains(Gevent.getHub()), "the server's hubs are its own, not the caller's");
            List<Greenlet<Void>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String message = "client " + i;
                clients.add(Gevent.spawn(() -> {
                    try (Socket client = Socket.connect(server.address())) {
                        EchoHandler.expectEcho(client, message);
                    }
                }));
            }
            for (Greenlet<Void> client : clients) {
                client.get(PROMPTLY);
            }
            assertEquals(Set.of(hubs.get(0).thread(), hubs.get(1).thread()), servingThreads,
                    "of " + CLIENTS + " connections, each hub's listener should have been given some");
        } finally {
            server.stop(PROMPTLY);
        }
        for (Hub hub : server.hubs()) {
            assertFalse(hub.thread().isAlive(), () -> hub + ": stop(timeout) returned before its thread ended");
        }
        assertThrows(ConnectException.class, () -> Socket.connect(server.address()).close());
    }

    @Test
    void aTlsServerOnTwoHubsHandshakesOnEachHub() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.get();
        StreamServer server = new StreamServer(ANY_PORT, new EchoHandler()).ssl(certificate.serverContext()).hubs(2);
        server.start();
        try {
            List<Greenlet<Void>> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String message = "tls client " + i;
                clients.add(Gevent.spawn(() -> {
                    try (SslSocket client = SslSocket.client(Socket.connect(server.address()), certificate.clientContext(),
                            SelfSignedCertificate.ALIAS)) {
                        EchoHandler.expectEcho(client, message);
                    }
                }));
            }
            for (Greenlet<Void> client : clients) {
                client.get(PROMPTLY);
            }
        } finally {
            server.stop(PROMPTLY);
        }
    }

    @Test
    void stopEndsServeForeverAndLetsRunningHandlersFinishThenEachHubCloses() throws Exception {
        Event handlerStarted = new Event();
        StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
            handlerStarted.set();
            EchoHandler.echo(socket);
        }).hubs(1);
        server.start();
        Greenlet<Void> serving = Gevent.spawn(() -> server.serveForever());
        try (Socket client = Socket.connect(server.address())) {
            client.sendAll(new byte[] {1});
            assertTrue(handlerStarted.await(PROMPTLY));
            assertEquals(1, client.recv(1).length, "the echo of the first byte");
            server.stop();
            assertThrows(ConnectException.class, () -> Socket.connect(server.address()).close());
            serving.get(PROMPTLY);
            assertTrue(server.hubs().getFirst().thread().isAlive(), "the hub closed under a running handler");
            EchoHandler.expectEcho(client, "still served after stop");
        }
        server.hubs().getFirst().thread().join(PROMPTLY);
        assertFalse(server.hubs().getFirst().thread().isAlive(), "the hub's thread did not end after its last handler");
    }

    @Test
    void aPortAlreadyTakenFailsStartWithBindExceptionAndLeavesNoHubRunning() throws Exception {
        try (ServerSocket taken = ServerSocket.bind(ANY_PORT)) {
            StreamServer server = new StreamServer(taken.localAddress(), new EchoHandler()).hubs(2);
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            assertThrows(BindException.class, server::start);
            assertEquals(List.of(), server.hubs());
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!before.contains(t) && t.getName().startsWith("gevent-server-")) {
                    t.join(PROMPTLY);
                    assertFalse(t.isAlive(), () -> t + " was left running by the failed start");
                }
            }
        }
    }

    @Test
    void misuseFailsWithASpecificException() throws Exception {
        StreamServer server = new StreamServer(ANY_PORT, new EchoHandler());
        assertThrows(IllegalArgumentException.class, () -> server.hubs(0));
        StreamServer pooled = new StreamServer(ANY_PORT, new EchoHandler(), new Pool(4));
        assertThrows(IllegalStateException.class, () -> pooled.hubs(2));
        Path dir = Files.createTempDirectory("gevent-hubs");
        UnixDomainSocketAddress unix = UnixDomainSocketAddress.of(dir.resolve("s"));
        try {
            StreamServer local = new StreamServer(unix, new EchoHandler()).hubs(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, local::start);
            assertTrue(e.getMessage().contains("SO_REUSEPORT"), e::getMessage);
        } finally {
            Files.deleteIfExists(dir.resolve("s"));
            Files.delete(dir);
        }
        server.start();
        try {
            assertThrows(IllegalStateException.class, () -> server.hubs(2), "hubs after start");
            assertEquals(List.of(Gevent.getHub()), server.hubs(), "a server without hubs(n) serves on the hub that started it");
        } finally {
            server.stop();
        }
    }

    private static void assumeLinux() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "SO_REUSEPORT spreads connections among listeners on Linux; other kernels differ");
    }
}
