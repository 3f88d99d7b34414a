package dev.gevent.tck.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * TCP stream operations of a {@link Transport}: accept, connect, read and write on both their
 * paths (finished at once, or pending and completed by {@code poll}), end of stream, large and
 * full-duplex transfers, one operation per direction, and half-close.
 */
public class TransportStreamTck extends LoopTck {
    private static final int EIGHT_MIB = 8 * 1024 * 1024;

    @Test
    void acceptIsPendingUntilAClientConnects() throws IOException {
        SocketHandle listener = h.listen();
        Recorder r = h.recorder();
        assertNull(h.transport.accept(listener, r), "nobody connected yet, so the accept is pending");
        assertEquals(1, h.loop.pendingOperations());
        Socket client = h.closeAtEnd(new Socket());
        client.connect(h.localInet(listener));
        h.await(r);
        SocketHandle accepted = Harness.acceptedBy(r);
        assertEquals(client.getLocalSocketAddress(), h.transport.remoteAddress(accepted));
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void acceptOfAWaitingClientFinishesAtOnceOrCompletes() throws IOException {
        SocketHandle listener = h.listen();
        Socket client = h.closeAtEnd(new Socket());
        client.connect(h.localInet(listener));
        SocketHandle accepted = h.accept(listener);
        assertEquals(client.getLocalSocketAddress(), h.transport.remoteAddress(accepted));
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void connectReachesAListener() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, Harness.IPV4_LOOPBACK)) {
            SocketHandle client = h.transport.openStream(server.getLocalSocketAddress());
            h.connect(client, server.getLocalSocketAddress());
            try (Socket peer = server.accept()) {
                assertEquals(peer.getRemoteSocketAddress(), h.transport.localAddress(client));
                assertEquals(server.getLocalSocketAddress(), h.transport.remoteAddress(client));
            }
        }
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void readIsPendingUntilDataArrives() throws IOException {
        PeerPair p = h.peerPair();
        ByteBuffer dst = ByteBuffer.allocate(64);
        Recorder r = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(p.socket(), dst, r), "nothing was sent, so the read is pending");
        assertEquals(1, h.loop.pendingOperations());
        p.peer().getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        h.await(r);
        long n = r.result();
        assertTrue(n >= 1 && n <= 5, () -> "read " + n + " bytes of 5");
        assertEquals(n, dst.position(), "the position moved by the bytes read");
        String rest = h.readExactly(p.socket(), 5 - (int) n);
        assertEquals("hello", Bytes.text(dst.flip()) + rest);
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void readOfDataAlreadyThereFinishesAtOnceOrCompletes() throws IOException {
        PeerPair p = h.peerPair();
        p.peer().getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        assertEquals("hello", h.readExactly(p.socket(), 5));
    }

    @Test
    void writeReachesThePeer() throws Exception {
        PeerPair p = h.peerPair();
        h.writeFully(p.socket(), "hello");
        byte[] got = h.join(Background.start("reader", () -> p.peer().getInputStream().readNBytes(5)));
        assertEquals("hello", new String(got, StandardCharsets.US_ASCII));
    }

    @Test
    void roundTripBetweenTwoTransportSockets() throws IOException {
        LocalPair pair = h.pair();
        h.writeFully(pair.client(), "ping");
        assertEquals("ping", h.readExactly(pair.server(), 4));
        h.writeFully(pair.server(), "pong");
        assertEquals("pong", h.readExactly(pair.client(), 4));
    }

    @Test
    void readAtEndOfStreamGivesMinusOne() throws IOException {
        PeerPair p = h.peerPair();
        p.peer().shutdownOutput();
        assertEquals(-1, h.read(p.socket(), ByteBuffer.allocate(8)));
    }

    @Test
    void pendingReadCompletesWithMinusOneWhenThePeerCloses() throws IOException {
        PeerPair p = h.peerPair();
        ByteBuffer dst = ByteBuffer.allocate(8);
        Recorder r = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(p.socket(), dst, r));
        p.peer().close();
        h.await(r);
        assertEquals(-1, r.result());
        assertEquals(0, dst.position());
    }

    @Test
    void largeWriteFinishesThroughPartialAndPendingWrites() throws Exception {
        ServerSocket server = h.closeAtEnd(new ServerSocket());
        server.setReceiveBufferSize(64 * 1024);
        server.bind(new InetSocketAddress(Harness.IPV4_LOOPBACK, 0));
        SocketHandle socket = h.transport.openStream(server.getLocalSocketAddress());
        h.transport.setOption(socket, StandardSocketOptions.SO_SNDBUF, 64 * 1024);
        h.connect(socket, server.getLocalSocketAddress());
        Socket peer = h.closeAtEnd(server.accept());

        ByteBuffer src = pattern(EIGHT_MIB);
        CRC32 sent = new CRC32();
        sent.update(src.duplicate());
        CountDownLatch startReading = new CountDownLatch(1);
        Background<long[]> reader = Background.start("reader", () -> {
            startReading.await();
            return drain(peer.getInputStream());
        });

        int pendingWrites = 0;
        while (src.hasRemaining()) {
            Harness.requireTimeLeft();
            int before = src.position();
            Recorder r = h.recorder();
            long n = h.transport.write(socket, src, r);
            if (n == Transport.PENDING) {
                pendingWrites++;
                // The peer reads only once a write had to wait, so that the pending path is taken.
                startReading.countDown();
                h.await(r);
                n = r.result();
            } else {
                r.assertNotCalled();
            }
            assertTrue(n >= 1, "a write transfers at least one byte");
            assertEquals(before + n, src.position(), "the position moved by the bytes written");
        }
        startReading.countDown();
        h.transport.shutdown(socket, false, true);

        long[] received = h.join(reader);
        assertTrue(pendingWrites > 0, "8 MiB into a peer that does not read must make a write wait");
        assertEquals(EIGHT_MIB, received[0], "bytes received");
        assertEquals(sent.getValue(), received[1], "CRC32 of the bytes received");
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void readAndWriteArePendingOnOneSocketAtOnce() throws Exception {
        PeerPair p = h.peerPair();
        h.transport.setOption(p.socket(), StandardSocketOptions.SO_SNDBUF, 64 * 1024);
        Filled filled = h.fillUntilPending(p.socket());
        ByteBuffer dst = ByteBuffer.allocate(4);
        Recorder read = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(p.socket(), dst, read), "the peer sent nothing yet");
        assertEquals(2, h.loop.pendingOperations(), "a read and a write pending together");

        Background<long[]> peer = Background.start("duplex-peer", () -> {
            p.peer().getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            return drain(p.peer().getInputStream());
        });
        h.await(read, filled.pending());
        int got = dst.position();
        String ping = Bytes.text(dst.flip()) + h.readExactly(p.socket(), 4 - got);
        assertEquals("ping", ping);
        long written = filled.writtenAtOnce() + filled.pending().result();
        h.transport.shutdown(p.socket(), false, true);
        assertEquals(written, h.join(peer)[0], "bytes the peer received");
    }

    @Test
    void secondOperationInOneDirectionIsIllegalState() throws IOException {
        SocketHandle listener = h.listen();
        Recorder accept = h.recorder();
        assertNull(h.transport.accept(listener, accept));
        assertIllegalState(() -> h.transport.accept(listener, h.recorder()));
        SocketHandle client = h.transport.openStream(h.localInet(listener));
        h.connect(client, h.localInet(listener));
        h.await(accept);
        SocketHandle server = Harness.acceptedBy(accept);

        Recorder read = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(client, ByteBuffer.allocate(8), read));
        assertIllegalState(() -> h.transport.read(client, ByteBuffer.allocate(8), h.recorder()));

        Filled filled = h.fillUntilPending(server);
        assertIllegalState(() -> h.transport.write(server, ByteBuffer.allocate(8), h.recorder()));

        // The operations that were pending are undisturbed by the refused ones.
        h.await(read);
        assertTrue(read.result() >= 1, "the pending read got what the server wrote");
        assertTrue(h.transport.cancel(server, filled.pending()));
        assertEquals(0, h.loop.pendingOperations());
    }

    private static void assertIllegalState(Executable operation) {
        IllegalStateException e = assertThrows(IllegalStateException.class, operation);
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "the exception says what is wrong");
    }

    @Test
    void shutdownOutputGivesThePeerEndOfStreamWhileReadingGoesOn() throws IOException {
        PeerPair p = h.peerPair();
        h.writeFully(p.socket(), "bye");
        h.transport.shutdown(p.socket(), false, true);
        InputStream in = p.peer().getInputStream();
        assertEquals("bye", new String(in.readNBytes(3), StandardCharsets.US_ASCII));
        assertEquals(-1, in.read(), "the peer sees the end of stream");
        p.peer().getOutputStream().write("back".getBytes(StandardCharsets.US_ASCII));
        assertEquals("back", h.readExactly(p.socket(), 4));
    }

    @Test
    void shutdownInputEndsReading() throws IOException {
        PeerPair p = h.peerPair();
        h.transport.shutdown(p.socket(), true, false);
        assertEquals(-1, h.read(p.socket(), ByteBuffer.allocate(8)));
    }

    /** @return {@code size} bytes that are not a repetition of a short period, so that a misplaced chunk shows */
    private static ByteBuffer pattern(int size) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        long x = 0x9E3779B97F4A7C15L;
        while (buffer.hasRemaining()) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            buffer.put((byte) x);
        }
        return buffer.flip();
    }

    /** @return {bytes read until end of stream, their CRC32} */
    private static long[] drain(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(chunk)) >= 0; ) {
            crc.update(chunk, 0, n);
            total += n;
        }
        return new long[] {total, crc.getValue()};
    }
}
