package dev.gevent.tck.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.spi.EventLoop;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import dev.gevent.tck.TckConfig;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;

/**
 * One test's loop under test, driven from the test thread (the hub thread), with the operations
 * the tests share. Each helper accepts both ways an operation may finish (at once, or pending and
 * then completed by {@code poll}) and checks that the completion is called only in the second case,
 * exactly once, on this thread.
 */
final class Harness implements Closeable {
    /** How long {@link #join} lets one poll wait before it looks at the peer again. */
    private static final long PEER_POLL_NANOS = 10_000_000L;
    static final InetAddress IPV4_LOOPBACK = loopback("127.0.0.1");

    final EventLoop loop;
    final Transport transport;
    final Thread hub = Thread.currentThread();
    private final Deque<Closeable> resources = new ArrayDeque<>();

    Harness(EventLoop loop) {
        this.loop = loop;
        this.transport = loop.transport();
    }

    static Harness open() {
        return new Harness(TckConfig.openLoop());
    }

    static InetAddress loopback(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(literal + " is not an address literal", e);
        }
    }

    Recorder recorder() {
        return new Recorder(hub);
    }

    /** Closes {@code resource} (a {@code java.net} peer) when the test ends, before the loop. */
    <T extends Closeable> T closeAtEnd(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Polls until every recorder has been called, then checks that each was called once. */
    void await(Recorder... recorders) {
        pollUntil(() -> {
            for (Recorder r : recorders) {
                if (!r.called()) {
                    return false;
                }
            }
            return true;
        });
        loop.poll(0);
        for (Recorder r : recorders) {
            r.assertCalledOnce();
        }
    }

    /**
     * Waits for a peer thread while polling the loop: a loop may hand written bytes, and a
     * shutdown after them, to the kernel at a later poll (io_uring's write-behind), so a peer that
     * reads them needs the loop to go on.
     *
     * @return what the peer's work returned
     */
    <T> T join(Background<T> peer) throws InterruptedException {
        while (!peer.done()) {
            requireTimeLeft();
            loop.poll(PEER_POLL_NANOS);
        }
        return peer.join();
    }

    /** Polls (without a time limit: the test's own limit applies) until {@code condition} holds. */
    void pollUntil(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            requireTimeLeft();
            assertNotEquals(0, loop.pendingOperations(), "waiting for a completion while no operation is pending");
            loop.poll(EventLoop.FOREVER);
        }
    }

    /**
     * Stops a polling loop once JUnit's time limit interrupted the test thread, as a poll that sees
     * the interrupt may return at once and leave the loop spinning.
     */
    static void requireTimeLeft() {
        if (Thread.currentThread().isInterrupted()) {
            throw new AssertionError("interrupted while polling: the test ran out of time");
        }
    }

    /** @return a listener on 127.0.0.1, on an ephemeral port */
    SocketHandle listen() throws IOException {
        return transport.listen(new InetSocketAddress(IPV4_LOOPBACK, 0), 0, false);
    }

    InetSocketAddress localInet(SocketHandle socket) throws IOException {
        SocketAddress local = transport.localAddress(socket);
        assertTrue(local instanceof InetSocketAddress, () -> "local address " + local);
        return (InetSocketAddress) local;
    }

    SocketHandle accept(SocketHandle listener) throws IOException {
        Recorder r = recorder();
        SocketHandle accepted = transport.accept(listener, r);
        if (accepted != null) {
            r.assertNotCalled();
            return accepted;
        }
        await(r);
        return acceptedBy(r);
    }

    static SocketHandle acceptedBy(Recorder r) {
        Object value = r.value();
        assertTrue(value instanceof SocketHandle, () -> "accept completed with " + value + ", not a SocketHandle");
        SocketHandle accepted = (SocketHandle) value;
        assertTrue(accepted.isOpen(), "the accepted socket is open");
        return accepted;
    }

    void connect(SocketHandle socket, SocketAddress remote) throws IOException {
        Recorder r = recorder();
        long n = transport.connect(socket, remote, r);
        if (n == Transport.PENDING) {
            await(r);
            assertEquals(0, r.result(), "result of a completed connect");
        } else {
            r.assertNotCalled();
            assertEquals(0, n, "result of an immediate connect");
        }
    }

    /** @return the result of one read, at once or after polling */
    long read(SocketHandle socket, ByteBuffer dst) throws IOException {
        Recorder r = recorder();
        int before = dst.position();
        long n = transport.read(socket, dst, r);
        if (n == Transport.PENDING) {
            await(r);
            n = r.result();
        } else {
            r.assertNotCalled();
        }
        assertTransferred(n, before, dst.position());
        return n;
    }

    /** @return the result of one write, at once or after polling */
    long write(SocketHandle socket, ByteBuffer src) throws IOException {
        Recorder r = recorder();
        int before = src.position();
        long n = transport.write(socket, src, r);
        if (n == Transport.PENDING) {
            await(r);
            n = r.result();
        } else {
            r.assertNotCalled();
        }
        assertTrue(n >= 1, () -> "a write transfers at least one byte");
        assertTransferred(n, before, src.position());
        return n;
    }

    private static void assertTransferred(long n, int before, int after) {
        assertTrue(n >= -1 && n != 0, () -> "a read or write result must be -1 or at least 1, not " + n);
        assertEquals(before + Math.max(n, 0), after, "the buffer's position moves by the bytes transferred");
    }

    void writeFully(SocketHandle socket, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            write(socket, src);
        }
    }

    void writeFully(SocketHandle socket, String text) throws IOException {
        writeFully(socket, Bytes.of(text));
    }

    /** @return exactly {@code length} bytes read from {@code socket} */
    String readExactly(SocketHandle socket, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        while (dst.hasRemaining()) {
            if (read(socket, dst) < 0) {
                fail("end of stream after " + dst.position() + " of " + length + " bytes");
            }
        }
        return Bytes.text(dst.flip());
    }

    /** Sends {@code text} as one datagram, at once or after polling. */
    void send(SocketHandle socket, String text, SocketAddress target) throws IOException {
        ByteBuffer src = Bytes.of(text);
        Recorder r = recorder();
        long n = transport.sendTo(socket, src, target, r);
        if (n == Transport.PENDING) {
            await(r);
            n = r.result();
        } else {
            r.assertNotCalled();
        }
        assertEquals(text.length(), n, "bytes sent");
        assertEquals(text.length(), src.position(), "the position moved by the bytes sent");
    }

    /** @return the sender of one datagram received into {@code dst}, at once or after polling */
    SocketAddress receive(SocketHandle socket, ByteBuffer dst) throws IOException {
        Recorder r = recorder();
        int before = dst.position();
        SocketAddress sender = transport.receiveFrom(socket, dst, r);
        if (sender != null) {
            r.assertNotCalled();
            return sender;
        }
        await(r);
        assertEquals(dst.position() - before, r.result(), "the result is the bytes received");
        Object value = r.value();
        assertTrue(value instanceof SocketAddress, () -> "receiveFrom completed with " + value + ", not an address");
        return (SocketAddress) value;
    }

    /** Writes 64 KiB chunks, the peer not reading, until a write has to wait. */
    Filled fillUntilPending(SocketHandle socket) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        long written = 0;
        while (true) {
            chunk.clear();
            Recorder r = recorder();
            int pendingBefore = loop.pendingOperations();
            long result = transport.write(socket, chunk, r);
            if (result == Transport.PENDING) {
                assertEquals(pendingBefore + 1, loop.pendingOperations(), "the write is pending");
                // A completion loop returns PENDING for every write, also one the kernel takes at
                // once: only a write still pending after a poll is one that has to wait.
                loop.poll(0);
                if (!r.called()) {
                    return new Filled(written, r, chunk);
                }
                result = r.result();
            } else {
                r.assertNotCalled();
            }
            long n = result;
            assertTrue(n >= 1, () -> "a write transfers at least one byte, not " + n);
            written += n;
        }
    }

    /** @return what the operation failed with, at once or through its completion */
    IOException failure(Operation operation) {
        IOException failure = failureOrNull(operation);
        if (failure == null) {
            fail("the operation succeeded but had to fail");
        }
        return failure;
    }

    /** @return what the operation failed with, or null if it succeeded (at once or after polling) */
    IOException failureOrNull(Operation operation) {
        Recorder r = recorder();
        long n;
        try {
            n = operation.start(r);
        } catch (IOException e) {
            r.assertNotCalled();
            return e;
        }
        if (n != Transport.PENDING) {
            r.assertNotCalled();
            return null;
        }
        await(r);
        return r.failed() ? r.error() : null;
    }

    /** @return two connected transport sockets over 127.0.0.1 */
    LocalPair pair() throws IOException {
        SocketHandle listener = listen();
        LocalPair pair = pair(listener);
        transport.close(listener);
        return pair;
    }

    /** Connects a new client to {@code listener}, with connect and accept outstanding together. */
    LocalPair pair(SocketHandle listener) throws IOException {
        SocketAddress address = transport.localAddress(listener);
        SocketHandle client = transport.openStream(address);
        Recorder connected = recorder();
        long n = transport.connect(client, address, connected);
        Recorder accepted = recorder();
        SocketHandle server = transport.accept(listener, accepted);
        pollUntil(() -> (n != Transport.PENDING || connected.called()) && (server != null || accepted.called()));
        if (n == Transport.PENDING) {
            assertEquals(0, connected.result(), "result of a completed connect");
        } else {
            connected.assertNotCalled();
        }
        if (server != null) {
            accepted.assertNotCalled();
            return new LocalPair(client, server);
        }
        return new LocalPair(client, acceptedBy(accepted));
    }

    /** @return a transport socket connected to a blocking {@code java.net} peer */
    PeerPair peerPair() throws IOException {
        SocketHandle listener = listen();
        Socket peer = closeAtEnd(new Socket());
        peer.connect(localInet(listener));
        SocketHandle socket = accept(listener);
        transport.close(listener);
        return new PeerPair(socket, peer);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        try {
            loop.close();
        } catch (RuntimeException e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** An operation started with a completion; it returns its result or {@link Transport#PENDING}. */
    @FunctionalInterface
    interface Operation {
        long start(Recorder completion) throws IOException;
    }
}
