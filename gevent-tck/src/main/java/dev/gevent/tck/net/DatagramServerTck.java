package dev.gevent.tck.net;

import static dev.gevent.tck.net.Datagrams.bindIpv4;
import static dev.gevent.tck.net.Datagrams.receiveText;
import static dev.gevent.tck.net.Datagrams.send;
import static dev.gevent.tck.net.EchoPeer.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Timeout;
import dev.gevent.event.AsyncResult;
import dev.gevent.event.Event;
import dev.gevent.queue.Queue;
import dev.gevent.server.DatagramHandler;
import dev.gevent.server.DatagramServer;
import dev.gevent.socket.DatagramSocket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * gevent's {@code DatagramServer}: each datagram is handed to the handler in a greenlet of its own,
 * as exactly the bytes that arrived, with the sender's address and the server's socket to reply
 * through; a handler that blocks does not hold up the next datagram, and one that throws is
 * reported to the hub's error handler while the server goes on serving; {@code start},
 * {@code serveForever}, {@code stop} (idempotent, from any greenlet or thread), {@code started}
 * and {@code address} follow gevent's {@code BaseServer}; and a thousand requests from ten clients
 * at once are all answered.
 */
@GeventTck
public class DatagramServerTck {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(Loopback.IPV4, 0);
    private static final DatagramHandler ECHO = (data, peer, socket) -> socket.send(data, peer);
    /** Bounds a wait that must succeed, so that a lost datagram fails the test with a clear cause. */
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final int LARGEST_DATAGRAM = 65_507;

    @Test
    void echoesADatagramBackToItsSender() throws Exception {
        try (DatagramServer server = new DatagramServer(ANY_PORT, ECHO); DatagramSocket client = client()) {
            server.start();
            send(client, "hello", server.address());
            ByteBuffer dst = ByteBuffer.allocate(16);
            assertEquals(server.address(), client.receive(dst), "the reply comes from the server's address");
            assertEquals("hello", Datagrams.text(dst.flip()));
        }
    }

    @Test
    void eachDatagramIsHandledInAGreenletOfItsOwn() throws Exception {
        Event released = new Event();
        Set<Greenlet<?>> handlers = new HashSet<>();
        DatagramHandler handler = (data, peer, socket) -> {
            handlers.add(Gevent.getCurrent());
            String request = Datagrams.text(data);
            if (request.equals("wait")) {
                released.await();
                send(socket, "waited", peer);
            } else {
                released.set();
                send(socket, "released", peer);
            }
        };
        try (DatagramServer server = new DatagramServer(ANY_PORT, handler); DatagramSocket client = client()) {
            server.start();
            send(client, "wait", server.address());
            send(client, "release", server.address());
            // Handled one after the other, the first datagram's handler would wait forever for the second.
            assertEquals("released", receiveText(client));
            assertEquals("waited", receiveText(client));
            assertEquals(2, handlers.size(), "two handler greenlets");
        }
    }

    @Test
    void dataHoldsExactlyTheDatagramWithTheSendersAddress() throws Exception {
        Queue<Map.Entry<byte[], SocketAddress>> handled = new Queue<>();
        DatagramHandler handler = (data, peer, socket) -> {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            handled.put(Map.entry(bytes, peer));
        };
        try (DatagramServer server = new DatagramServer(ANY_PORT, handler); DatagramSocket client = client()) {
            client.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            server.start();
            // The largest first: a smaller datagram after it must not show the larger one's tail.
            for (int size : new int[] {LARGEST_DATAGRAM, 0, 1, 100, LARGEST_DATAGRAM - 1}) {
                byte[] data = randomBytes(size);
                client.send(ByteBuffer.wrap(data), server.address());
                Map.Entry<byte[], SocketAddress> got = handled.get(LIMIT);
                assertArrayEquals(data, got.getKey(), () -> "a datagram of " + size + " bytes");
                assertEquals(client.localAddress(), got.getValue());
            }
        }
    }

    @Test
    void addressIsTheOneGivenBeforeStartAndTheBoundOneAfter() throws Exception {
        try (DatagramServer server = new DatagramServer(ANY_PORT, ECHO)) {
            assertEquals(ANY_PORT, server.address());
            server.start();
            assertEquals(Loopback.IPV4, server.address().getAddress());
            assertNotEquals(0, server.address().getPort(), "port 0 asks for a free port, which address() reports");
            InetSocketAddress bound = server.address();
            server.stop();
            assertEquals(bound, server.address(), "the address stays known after stop");
        }
    }

    @Test
    void startedIsTrueOnlyBetweenStartAndStop() throws Exception {
        DatagramServer server = new DatagramServer(ANY_PORT, ECHO);
        assertFalse(server.started());
        server.start();
        assertTrue(server.started());
        server.stop();
        assertFalse(server.started());
        assertTrue(Gevent.getHub().join(LIMIT), "a stopped server leaves nothing running or pending in the hub");
    }

    @Test
    void stopIsIdempotentAndCloseIsStop() throws Exception {
        DatagramServer server = new DatagramServer(ANY_PORT, ECHO);
        server.start();
        server.stop();
        server.stop();
        server.close();
        assertFalse(server.started());

        DatagramServer closed = new DatagramServer(ANY_PORT, ECHO);
        closed.start();
        closed.close();
        assertFalse(closed.started());
        assertThrows(IllegalStateException.class, closed::start, "close stopped it for good");
    }

    @Test
    void startingTwiceIsIllegalState() throws Exception {
        try (DatagramServer server = new DatagramServer(ANY_PORT, ECHO)) {
            server.start();
            InetSocketAddress bound = server.address();
            assertThrows(IllegalStateException.class, server::start);
            assertTrue(server.started(), "the refused start left the server serving");
            assertEquals(bound, server.address());
        }
    }

    @Test
    void aStoppedServerCannotBeStartedAgain() throws Exception {
        DatagramServer server = new DatagramServer(ANY_PORT, ECHO);
        server.start();
        server.stop();
        assertThrows(IllegalStateException.class, server::start);

        DatagramServer neverStarted = new DatagramServer(ANY_PORT, ECHO);
        neverStarted.stop();
        assertThrows(IllegalStateException.class, neverStarted::start);
        assertFalse(neverStarted.started());
    }

    @Test
    void serveForeverStartsTheServerAndReturnsAfterStopFromAnotherGreenlet() throws Exception {
        DatagramServer server = new DatagramServer(ANY_PORT, ECHO);
        Greenlet<Void> serving = Gevent.spawn(server::serveForever);
        Gevent.sleep();
        assertTrue(server.started(), "serveForever started the server");
        assertFalse(serving.dead());
        try (DatagramSocket client = client()) {
            send(client, "served", server.address());
            assertEquals("served", receiveText(client));
        }
        Gevent.spawn(server::stop).join();
        serving.get(LIMIT);
        assertFalse(server.started());
    }

    @Test
    void serveForeverReturnsAfterStopFromAPlainThread() throws Exception {
        DatagramServer server = new DatagramServer(ANY_PORT, ECHO);
        server.start();
        Thread.ofPlatform().name("datagram-server-stopper").start(server::stop);
        Gevent.withTimeout(LIMIT, () -> {
            server.serveForever();
            return null;
        });
        assertFalse(server.started());
    }

    @Test
    void aTimeoutThatEndsServeForeverStopsTheServer() throws Exception {
        DatagramServer server = new DatagramServer(ANY_PORT, ECHO);
        Timeout timeout = Timeout.startNew(Duration.ofMillis(50));
        try {
            Timeout thrown = assertThrows(Timeout.class, server::serveForever);
            assertSame(timeout, thrown);
        } finally {
            timeout.cancel();
        }
        assertFalse(server.started(), "the server stopped with the wait");
        assertTrue(Gevent.getHub().join(LIMIT), "nothing of the server is left in the hub");
    }

    @Test
    void aHandlerThatThrowsIsReportedAndTheServerKeepsServing() throws Exception {
        AsyncResult<Map.Entry<Object, Throwable>> reported = new AsyncResult<>();
        Gevent.getHub().setErrorHandler((context, error) -> reported.set(Map.entry(context, error)));
        IllegalStateException boom = new IllegalStateException("boom");
        DatagramHandler handler = (data, peer, socket) -> {
            if (Datagrams.text(data.duplicate()).equals("boom")) {
                throw boom;
            }
            socket.send(data, peer);
        };
        try (DatagramServer server = new DatagramServer(ANY_PORT, handler); DatagramSocket client = client()) {
            server.start();
            send(client, "boom", server.address());
            send(client, "after", server.address());
            assertEquals("after", receiveText(client), "the server went on serving");
            Map.Entry<Object, Throwable> report = reported.get(LIMIT);
            assertSame(boom, report.getValue());
            assertInstanceOf(Greenlet.class, report.getKey(), "the handler's greenlet is the context");
            assertTrue(server.started());
        }
    }

    @Test
    void aHandlerReplyingAfterStopFindsTheSocketClosed() throws Exception {
        Event entered = new Event();
        Event proceed = new Event();
        AsyncResult<IOException> replied = new AsyncResult<>();
        DatagramHandler handler = (data, peer, socket) -> {
            entered.set();
            proceed.await();
            try {
                socket.send(data, peer);
                replied.set(null);
            } catch (IOException e) {
                replied.set(e);
            }
        };
        DatagramServer server = new DatagramServer(ANY_PORT, handler);
        try (DatagramSocket client = client()) {
            server.start();
            send(client, "late", server.address());
            assertTrue(entered.await(LIMIT));
            server.stop();
            proceed.set();
            assertInstanceOf(ClosedChannelException.class, replied.get(LIMIT));
        }
    }

    @Test
    void aThousandDatagramsFromTenClientsAtOnceAreAllAnswered() throws Exception {
        int clients = 10;
        int perClient = 100;
        try (DatagramServer server = new DatagramServer(ANY_PORT, ECHO)) {
            server.start();
            // Each client waits for its answer before the next request, so at most ten datagrams are
            // in flight: far below what loopback buffers hold, so none is dropped and none is retried.
            List<Greenlet<Integer>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                running.add(Gevent.spawn(() -> {
                    try (DatagramSocket client = client()) {
                        int answered = 0;
                        for (int i = 0; i < perClient; i++) {
                            String request = id + "/" + i;
                            send(client, request, server.address());
                            assertEquals(request, receiveText(client));
                            answered++;
                        }
                        return answered;
                    }
                }));
            }
            int answered = 0;
            for (Greenlet<Integer> client : running) {
                answered += client.get();
            }
            assertEquals(clients * perClient, answered);
        }
    }

    /** @return a client socket whose receives give up after {@link #LIMIT} rather than hang */
    private static DatagramSocket client() throws IOException {
        DatagramSocket client = bindIpv4();
        client.setTimeout(LIMIT);
        return client;
    }
}
