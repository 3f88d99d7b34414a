package dev.gevent.backend.iouring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.spi.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reads served by a socket's multishot receive into the loop's provided buffers: bytes kept for a
 * reader that is not waiting, the receive stopped for one that falls behind, bulk transfers and an
 * empty buffer ring falling back to reads into the caller's buffer, and every buffer given back.
 * The peers are java.net sockets; the test thread polls the loop.
 */
@Timeout(30)
class MultishotReceiveTest {
    private final List<AutoCloseable> closeAtEnd = new ArrayList<>();
    private IoUringEventLoop loop;
    private Transport transport;
    private ServerSocket server;
    private int largestRead;

    @BeforeAll
    static void requireMultishot() {
        MultishotKernel.assume();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeAtEnd.reversed()) {
            c.close();
        }
        if (loop != null) {
            loop.close();
        }
    }

    private void open(int buffers, int size) throws IOException {
        loop = new IoUringEventLoop(true, buffers, size);
        transport = loop.transport();
        assertNotNull(loop.provided, "a 6.1 kernel takes a provided-buffer ring");
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeAtEnd.add(server);
    }

    /** A connected pair: the loop's socket and its java.net peer. */
    private record Pair(IoUringSocket socket, Socket peer) {
        void send(byte[] bytes) throws IOException {
            OutputStream out = peer.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    private Pair connect() throws IOException {
        InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
        IoUringSocket socket = (IoUringSocket) transport.openStream(address);
        RecordingCompletion connected = new RecordingCompletion();
        if (transport.connect(socket, address, connected) == Transport.PENDING) {
            pollUntil(() -> connected.done);
        }
        Socket peer = server.accept();
        closeAtEnd.add(peer);
        return new Pair(socket, peer);
    }

    private void pollUntil(BooleanSupplier condition) {
        MultishotKernel.pollUntil(loop, condition);
    }

    /** @return the bytes one read got, waiting for its completion when it is pending */
    private byte[] read(IoUringSocket socket, int capacity) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(capacity);
        RecordingCompletion r = new RecordingCompletion();
        long n = transport.read(socket, dst, r);
        if (n == Transport.PENDING) {
            pollUntil(() -> r.done);
            if (r.error != null) {
                throw r.error;
            }
            n = r.result;
        }
        if (n < 0) {
            return null;
        }
        assertEquals(n, dst.position(), "the position moved by the bytes read");
        byte[] bytes = new byte[(int) n];
        dst.flip().get(bytes);
        return bytes;
    }

    /** Reads a byte the peer sends: the socket's first read starts its multishot receive. */
    private void startReceiving(Pair p) throws IOException {
        p.send(ascii("!"));
        assertArrayEquals(ascii("!"), read(p.socket(), 64));
    }

    /** @return a connected pair on a new loop with that many provided buffers, its receive started */
    private Pair receiving(int buffers, int size) throws IOException {
        open(buffers, size);
        Pair p = connect();
        startReceiving(p);
        return p;
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** @return {@code length} bytes, read {@code capacity} at most at a time; sets {@link #largestRead} */
    private byte[] readExactly(IoUringSocket socket, int length, int capacity) throws IOException {
        byte[] got = new byte[length];
        int at = 0;
        largestRead = 0;
        while (at < length) {
            byte[] chunk = read(socket, Math.min(capacity, length - at));
            assertNotNull(chunk, "the stream ended early");
            System.arraycopy(chunk, 0, got, at, chunk.length);
            at += chunk.length;
            largestRead = Math.max(largestRead, chunk.length);
        }
        return got;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void bytesThatArriveBetweenReadsWaitForTheNextOne() throws IOException {
        open(8, 64);
        Pair p = connect();
        p.send(ascii("hello"));
        assertArrayEquals(ascii("hello"), read(p.socket(), 64));
        assertNotEquals(0, p.socket().multishot.userData, "the multishot receive stays in the kernel");
        p.send(ascii("world"));
        pollUntil(() -> p.socket().inbound != null && p.socket().inbound.bytes == 5);
        assertEquals(0, loop.pendingOperations(), "no read waits: the receive is not a pending operation");
        ByteBuffer dst = ByteBuffer.allocate(64);
        assertEquals(5, transport.read(p.socket(), dst, new RecordingCompletion()), "the kept bytes are read at once");
        assertEquals(0, loop.provided.held(), "the buffer went back once read");
    }

    @Test
    void aSmallReadTakesPartOfABufferAndTheNextTheRest() throws IOException {
        Pair p = receiving(8, 64);
        p.send(ascii("abcdefgh"));
        assertArrayEquals(ascii("abc"), read(p.socket(), 3));
        assertEquals(1, loop.provided.held());
        assertArrayEquals(ascii("defgh"), read(p.socket(), 64));
        assertEquals(0, loop.provided.held());
    }

    @Test
    void aReaderThatFallsBehindStopsTheReceiveAndLosesNothing() throws IOException {
        Pair p = receiving(32, 64);
        byte[] sent = randomBytes(20 * 50, 7);
        int held = 0;
        for (int i = 0; i < 20; i++) {
            p.send(Arrays.copyOfRange(sent, i * 50, (i + 1) * 50));
            int expected = (i + 1) * 50;
            if (p.socket().multishot.userData != 0) {
                pollUntil(() -> p.socket().multishot.userData == 0
                        || p.socket().inbound != null && p.socket().inbound.bytes == expected);
            }
            held = loop.provided.held();
        }
        assertEquals(0, p.socket().multishot.userData, "the receive stopped");
        assertEquals(IoUringTransport.INBOUND_MAX, held, "it stopped once the reader fell that many buffers behind");
        assertArrayEquals(sent, readExactly(p.socket(), sent.length, 128), "every byte, in order");
        assertEquals(0, loop.provided.held());
    }

    @Test
    void aBulkTransferIsReadStraightIntoTheCallersBuffer() throws Exception {
        Pair p = receiving(16, 1024);
        byte[] sent = randomBytes(1 << 20, 11);
        Thread sender = Thread.ofPlatform().start(() -> {
            try {
                p.send(sent);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] got = readExactly(p.socket(), sent.length, 64 * 1024);
        sender.join();
        assertArrayEquals(sent, got);
        assertTrue(largestRead > 1024, () -> "no read got more than a provided buffer holds: " + largestRead);
        p.send(ascii("small"));
        assertArrayEquals(ascii("small"), read(p.socket(), 64 * 1024));
        assertTrue(!p.socket().bulk, "a short read ends the bulk mode");
        p.send(ascii("again"));
        assertArrayEquals(ascii("again"), read(p.socket(), 64 * 1024));
        assertNotEquals(0, p.socket().multishot.userData, "small reads go through the multishot receive again");
        assertEquals(0, loop.provided.held());
    }

    @Test
    void withNoBufferLeftAReadGoesIntoTheCallersBuffer() throws IOException {
        open(2, 64);
        Pair[] pairs = {connect(), connect(), connect()};
        for (Pair p : pairs) {
            startReceiving(p);
        }
        pairs[0].send(ascii("one"));
        pairs[1].send(ascii("two"));
        pollUntil(() -> loop.provided.held() == 2);
        pairs[2].send(ascii("three"));
        pollUntil(() -> pairs[2].socket().multishot.userData == 0);
        assertEquals(2, loop.provided.held(), "the third socket's receive ended for want of a buffer");
        assertArrayEquals(ascii("three"), read(pairs[2].socket(), 64));
        assertArrayEquals(ascii("one"), read(pairs[0].socket(), 64));
        assertArrayEquals(ascii("two"), read(pairs[1].socket(), 64));
        assertEquals(0, loop.provided.held());
    }

    @Test
    void theEndOfTheStreamComesAfterTheBytesBeforeIt() throws IOException {
        Pair p = receiving(8, 64);
        p.send(ascii("last"));
        p.peer().shutdownOutput();
        pollUntil(() -> p.socket().multishot.userData == 0);
        assertArrayEquals(ascii("last"), read(p.socket(), 64));
        assertEquals(null, read(p.socket(), 64), "then the end of the stream");
        assertEquals(null, read(p.socket(), 64), "and again");
        assertEquals(0, loop.provided.held());
    }

    @Test
    void aCancelledReadLeavesTheBytesForTheNext() throws IOException {
        open(8, 64);
        Pair p = connect();
        RecordingCompletion cancelled = new RecordingCompletion();
        assertEquals(Transport.PENDING, transport.read(p.socket(), ByteBuffer.allocate(64), cancelled));
        assertTrue(transport.cancel(p.socket(), cancelled));
        assertEquals(0, loop.pendingOperations());
        p.send(ascii("kept"));
        pollUntil(() -> p.socket().inbound != null && p.socket().inbound.bytes == 4);
        assertTrue(!cancelled.done, "a cancelled read is never completed");
        assertArrayEquals(ascii("kept"), read(p.socket(), 64));
    }

    @Test
    void closingASocketGivesItsBuffersBack() throws IOException {
        open(8, 64);
        Pair waiting = connect();
        Pair reading = connect();
        startReceiving(waiting);
        waiting.send(ascii("unread"));
        pollUntil(() -> loop.provided.held() == 1);
        RecordingCompletion pending = new RecordingCompletion();
        assertEquals(Transport.PENDING, transport.read(reading.socket(), ByteBuffer.allocate(8), pending));
        transport.close(waiting.socket());
        transport.close(reading.socket());
        assertEquals(0, loop.provided.held(), "the unread buffer went back");
        assertTrue(pending.done && pending.error != null, "the pending read failed with the close");
        assertEquals(0, loop.pendingOperations());
    }

    @Test
    void settingsThatMakeNoBufferRingAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IoUringEventLoop(true, 3, 64));
        assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new IoUringEventLoop(true, 8, 0));
    }
}
