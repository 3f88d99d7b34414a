package dev.gevent.tck.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.ThrowingRunnable;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.DatagramSocket;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.socket.StreamSocket;
import dev.gevent.ssl.SslSocket;
import dev.gevent.tck.GeventTck;
import dev.gevent.tck.TckConfig;
import dev.gevent.tck.fault.FaultPlan.Operation;
import dev.gevent.tck.ssl.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The socket layer over a backend that misbehaves ({@link FaultInjectingLoopProvider} around the
 * loop under test): under would-block storms (EAGAIN), interrupted polls (EINTR) and one-byte reads
 * and writes, every stream, TLS session, accept and connect still delivers exactly the bytes sent,
 * in order; a connection reset, at once or while a reader waits, is a
 * {@link SocketException}("Connection reset") and so is every later read and write of that socket;
 * datagrams arrive whole, from their sender;
 * a {@code writeFully} cut by a reset has written exactly a prefix; timeouts and kills withdraw
 * operations that a storm holds back, leaving nothing pending.
 */
@GeventTck
public class SocketFaultInjectionTck {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** Every fault at once, each operation held back for three polls. */
    private static final int STORM = 3;

    @Test
    void aStreamUnderStormsInterruptedPollsAndOneByteTransfersIsByteExactBothWays() throws Exception {
        FaultPlan plan = everyFault();
        onFaultyHub(plan, () -> {
            byte[] sent = payload(8 * 1024, 1);
            try (ServerSocket listener = ServerSocket.bind(ANY_PORT)) {
                Greenlet<Void> server = Gevent.spawn(() -> {
                    try (Socket accepted = listener.accept()) {
                        echo(accepted);
                    }
                });
                try (Socket client = Socket.connect(listener.localAddress())) {
                    assertArrayEquals(sent, sendAndReadBack(client, sent), "the echo, through " + plan);
                }
                server.get(LIMIT);
            }
            assertEquals(0, plan.pendingOperations(), "operations left pending");
            assertTrue(plan.injected().matches("held back [1-9].*interrupted [1-9].*one byte [1-9].*"), plan::injected);
        });
    }

    @Test
    void oneByteWritesStillWriteEverythingInOrder() throws Exception {
        FaultPlan plan = new FaultPlan().oneByteTransfers(true);
        onFaultyHub(plan, () -> {
            byte[] sent = payload(64 * 1024, 2);
            try (ServerSocket listener = ServerSocket.bind(ANY_PORT);
                    Socket client = Socket.connect(listener.localAddress());
                    Socket accepted = listener.accept()) {
                Greenlet<byte[]> reader = Gevent.spawn(() -> accepted.inputStream().readAllBytes());
                ByteBuffer src = ByteBuffer.wrap(sent);
                client.writeFully(src);
                assertEquals(sent.length, src.position(), "writeFully returned with bytes unwritten");
                client.shutdownOutput();
                assertArrayEquals(sent, reader.get(LIMIT));
            }
            assertTrue(plan.injectedCount() >= sent.length, plan::injected);
        });
    }

    @Test
    void streamsAndRecvSendAllUnderEveryFault() throws Exception {
        onFaultyHub(everyFault(), () -> {
            byte[] sent = payload(4 * 1024, 3);
            try (ServerSocket listener = ServerSocket.bind(ANY_PORT);
                    Socket client = Socket.connect(listener.localAddress());
                    Socket accepted = listener.accept()) {
                Greenlet<Void> writer = Gevent.spawn(() -> {
                    client.outputStream().write(sent);
                    client.outputStream().flush();
                    client.sendAll(sent);
                });
                assertArrayEquals(sent, accepted.inputStream().readNBytes(sent.length), "through the streams");
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                while (received.size() < sent.length) {
                    received.write(accepted.recv(sent.length - received.size()));
                }
                assertArrayEquals(sent, received.toByteArray(), "through recv and sendAll");
                writer.get(LIMIT);
            }
        });
    }

    @Test
    void tlsHandshakeAndEchoOverOneByteTransfersAndStorms() throws Exception {
        onFaultyHub(everyFault(), () -> {
            byte[] sent = payload(4 * 1024, 4);
            SelfSignedCertificate certificate = SelfSignedCertificate.get();
            try (ServerSocket listener = ServerSocket.bind(ANY_PORT)) {
                Greenlet<Void> server = Gevent.spawn(() -> {
                    try (SslSocket tls = SslSocket.server(listener.accept(), certificate.serverContext())) {
                        echo(tls);
                    }
                });
                try (SslSocket client = SslSocket.client(Socket.connect(listener.localAddress()),
                        certificate.clientContext(), SelfSignedCertificate.ALIAS)) {
                    assertArrayEquals(sent, sendAndReadBack(client, sent));
                }
                server.get(LIMIT);
            }
        });
    }

    @Test
    void aServerAcceptsAndClientsConnectUnderStormsAndInterruptedPolls() throws Exception {
        FaultPlan plan = new FaultPlan().wouldBlock(5).interruptedPolls(2);
        onFaultyHub(plan, () -> {
            try (StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> echo(socket))) {
                server.start();
                List<Greenlet<Void>> clients = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    byte[] sent = payload(100 + i, 10 + i);
                    clients.add(Gevent.spawn(() -> {
                        try (Socket client = Socket.connect(server.address())) {
                            assertArrayEquals(sent, sendAndReadBack(client, sent));
                        }
                    }));
                }
                for (Greenlet<Void> client : clients) {
                    client.get(LIMIT);
                }
            }
            assertTrue(plan.injected().matches("held back [1-9].*interrupted [1-9].*"), plan::injected);
        });
    }

    @Test
    void datagramsUnderStormsAndInterruptedPollsArriveWholeFromTheirSender() throws Exception {
        FaultPlan plan = new FaultPlan().wouldBlock(STORM).interruptedPolls(2);
        onFaultyHub(plan, () -> {
            try (DatagramSocket a = DatagramSocket.bind(ANY_PORT); DatagramSocket b = DatagramSocket.bind(ANY_PORT)) {
                for (int i = 0; i < 20; i++) {
                    byte[] sent = payload(1 + 50 * i, 100 + i);
                    a.send(ByteBuffer.wrap(sent), b.localAddress());
                    ByteBuffer received = ByteBuffer.allocate(2048);
                    assertEquals(a.localAddress(), b.receive(received), "the sender of datagram " + i);
                    assertArrayEquals(sent, Arrays.copyOf(received.array(), received.flip().remaining()), "datagram " + i);
                }
            }
            assertTrue(plan.injected().matches("held back [1-9].*interrupted [1-9].*"), plan::injected);
            assertEquals(0, plan.pendingOperations());
        });
    }

    @Test
    void aResetOnAReadThatCompletesAtOnceIsASocketExceptionAndSoIsEveryLaterReadAndWrite() throws Exception {
        FaultPlan plan = new FaultPlan();
        onFaultyHub(plan, () -> {
            try (ServerSocket listener = ServerSocket.bind(ANY_PORT);
                    Socket client = Socket.connect(listener.localAddress());
                    Socket accepted = listener.accept()) {
                accepted.sendAll(new byte[] {1, 2, 3});
                plan.failAfter(Operation.READ, 0, FaultPlan.connectionReset());
                assertReset(assertThrows(SocketException.class, () -> client.read(ByteBuffer.allocate(8))));
                assertReset(assertThrows(SocketException.class, () -> client.read(ByteBuffer.allocate(8))));
                assertReset(assertThrows(SocketException.class, () -> client.sendAll(new byte[] {4})));
            }
            assertEquals(0, plan.pendingOperations());
        });
    }

    @Test
    void aResetDeliveredThroughTheCompletionWakesAParkedReaderWithSocketException() throws Exception {
        FaultPlan plan = new FaultPlan();
        onFaultyHub(plan, () -> {
            try (ServerSocket listener = ServerSocket.bind(ANY_PORT);
                    Socket client = Socket.connect(listener.localAddress());
                    Socket accepted = listener.accept()) {
                Greenlet<Integer> waiting = Gevent.spawn(() -> client.read(ByteBuffer.allocate(8)));
                Gevent.idle();
                assertEquals(1, plan.resetWaitingReads(), "the reader waits in the backend");
                assertReset(assertInstanceOf(SocketException.class, waitForFailure(waiting)));

                plan.wouldBlock(STORM).failAfter(Operation.READ, 0, FaultPlan.connectionReset());
                Greenlet<Integer> stormed = Gevent.spawn(() -> accepted.read(ByteBuffer.allocate(8)));
                assertReset(assertInstanceOf(SocketException.class, waitForFailure(stormed)));
            }
            assertEquals(0, plan.pendingOperations());
        });
    }

    @Test
    void aWriteFullyCutByAResetThrowsAfterWritingExactlyAPrefix() throws Exception {
        FaultPlan plan = new FaultPlan().oneByteTransfers(true);
        onFaultyHub(plan, () -> {
            byte[] sent = payload(1000, 5);
            try (ServerSocket listener = ServerSocket.bind(ANY_PORT);
                    Socket client = Socket.connect(listener.localAddress());
                    Socket accepted = listener.accept()) {
                plan.failAfter(Operation.WRITE, 100, FaultPlan.connectionReset());
                ByteBuffer src = ByteBuffer.wrap(sent);
                assertReset(assertThrows(SocketException.class, () -> client.writeFully(src)));
                assertEquals(100, src.position(), "one byte per successful write");
                client.close();
                plan.oneByteTransfers(false);
                byte[] received = accepted.inputStream().readAllBytes();
                assertArrayEquals(Arrays.copyOf(sent, 100), received, "the peer got exactly the prefix");
            }
        });
    }

    @Test
    void timeoutsKillsAndClosesWithdrawOperationsAStormHoldsBack() throws Exception {
        FaultPlan plan = new FaultPlan();
        onFaultyHub(plan, () -> {
            Gevent.getHub().setErrorHandler((context, error) -> { });
            try (ServerSocket listener = ServerSocket.bind(ANY_PORT);
                    Socket client = Socket.connect(listener.localAddress());
                    Socket accepted = listener.accept()) {
                plan.wouldBlock(Integer.MAX_VALUE);
                Greenlet<Void> sender = Gevent.spawn(() -> accepted.sendAll(new byte[] {1}));
                Gevent.sleep();
                assertEquals(1, plan.pendingOperations(), "the sender's write, held back for good");
                client.setTimeout(Duration.ofMillis(50));
                assertThrows(SocketTimeoutException.class, () -> client.read(ByteBuffer.allocate(8)));
                assertEquals(1, plan.pendingOperations(), "the timed-out read was withdrawn");
                Greenlet<Integer> reader = Gevent.spawn(() -> client.read(ByteBuffer.allocate(8)));
                Gevent.sleep();
                reader.kill();
                assertEquals(1, plan.pendingOperations(), "the killed reader's read was withdrawn");
                accepted.close();
                assertTrue(sender.join(LIMIT));
                assertInstanceOf(java.nio.channels.AsynchronousCloseException.class, sender.exception(),
                        "closing the socket fails its held-back write");
                assertEquals(0, plan.pendingOperations());
            }
        });
    }

    @Test
    void interruptedPollsLoseNoTimerAndNoWakeUp() throws Exception {
        FaultPlan plan = new FaultPlan().interruptedPolls(5);
        onFaultyHub(plan, () -> {
            long start = System.nanoTime();
            Gevent.sleep(Duration.ofMillis(30));
            assertTrue(System.nanoTime() - start >= 30_000_000L, "the sleep ended early");
            try (ServerSocket listener = ServerSocket.bind(ANY_PORT);
                    Socket client = Socket.connect(listener.localAddress());
                    Socket accepted = listener.accept()) {
                Greenlet<byte[]> reader = Gevent.spawn(() -> client.recv(8));
                Gevent.spawnLater(Duration.ofMillis(20), () -> accepted.sendAll(new byte[] {7}));
                assertArrayEquals(new byte[] {7}, reader.get(LIMIT));
            }
            assertTrue(plan.injectedCount() >= 10, plan::injected);
        });
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static FaultPlan everyFault() {
        return new FaultPlan().wouldBlock(STORM).interruptedPolls(2).oneByteTransfers(true);
    }

    /** Runs {@code body} in a greenlet of a new hub on the loop under test, wrapped by {@code plan}. */
    private static void onFaultyHub(FaultPlan plan, ThrowingRunnable body) throws Exception {
        Hub hub = Hub.startThread("faulty-" + TckConfig.loopName(), new FaultInjectingLoopProvider(TckConfig.provider(), plan));
        try {
            hub.spawn(body).get(LIMIT);
        } finally {
            hub.close();
        }
    }

    /** Echoes until the end of the stream. */
    private static void echo(StreamSocket socket) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (socket.read(buffer.clear()) >= 0) {
            socket.writeFully(buffer.flip());
        }
    }

    /** Writes {@code sent} from one greenlet while reading the echo in this one; returns what came back. */
    private static byte[] sendAndReadBack(StreamSocket socket, byte[] sent) throws Exception {
        Greenlet<Void> writer = Gevent.spawn(() -> {
            socket.writeFully(ByteBuffer.wrap(sent));
            socket.shutdownOutput();
        });
        byte[] back = socket.inputStream().readAllBytes();
        writer.get(LIMIT);
        return back;
    }

    private static Throwable waitForFailure(Greenlet<?> g) {
        assertTrue(g.join(LIMIT), "the reset did not wake the reader");
        return g.exception();
    }

    private static void assertReset(SocketException e) {
        assertEquals("Connection reset", e.getMessage());
    }

    private static byte[] payload(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
