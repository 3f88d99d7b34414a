package dev.gevent.tck.net;

import static dev.gevent.tck.net.EchoPeer.randomBytes;
import static dev.gevent.tck.net.EchoPeer.readToEnd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.ThrowingRunnable;
import dev.gevent.Timeout;
import dev.gevent.event.AsyncResult;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A socket belongs to the hub that opened or accepted it (gevent: a socket's watchers belong to
 * one loop): its operations from a greenlet of another hub or from a plain thread are an
 * {@link IllegalStateException} naming the owning hub and leave the socket unharmed; only
 * {@code close()} may come from anywhere, and it wakes the greenlet blocked on the socket with an
 * IOException. Two greenlets reading one socket at once, or writing it at once, are an error for
 * the second (gevent: {@code ConcurrentObjectUseError}), and the first goes on unaffected.
 *
 * <p>Where only another thread can end a wait, the main greenlet keeps a {@link Timeout} pending,
 * because such a wait alone does not keep a hub alive.
 */
@GeventTck
public class SocketOwnershipTck {
    /** Only a lost wake-up lets this guard fire. */
    private static final Duration GUARD = Duration.ofSeconds(10);

    @Test
    void useFromAGreenletOfAnotherHubIsAnIllegalStateExceptionNamingTheOwningHub() throws Exception {
        String owner = Gevent.getHub().thread().getName();
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            Hub other = Hub.startThread("tck-other-hub");
            try {
                Greenlet<Map<String, Throwable>> intruder = other.spawn(() -> misuse(server, client));
                try (var _ = Timeout.startNew(GUARD)) {
                    assertAllRefused(owner, intruder.get());
                } catch (Timeout t) {
                    fail("the other hub's greenlet never finished");
                }
            } finally {
                other.close();
            }
            assertStillWorks(client, accepted);
        }
    }

    @Test
    void useFromAPlainThreadIsAnIllegalStateExceptionNamingTheOwningHub() throws Exception {
        String owner = Gevent.getHub().thread().getName();
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            AsyncResult<Map<String, Throwable>> result = new AsyncResult<>();
            Thread thread = Thread.ofPlatform().name("tck-intruder").start(() -> {
                try {
                    result.set(misuse(server, client));
                } catch (Throwable e) {
                    result.setException(e);
                }
            });
            try (var _ = Timeout.startNew(GUARD)) {
                assertAllRefused(owner, result.get());
            } catch (Timeout t) {
                fail("the plain thread never finished");
            } finally {
                thread.join();
            }
            assertStillWorks(client, accepted);
        }
    }

    /** @return what {@code operation} threw, or null if it returned */
    private static Throwable thrownBy(ThrowingRunnable operation) {
        try {
            operation.run();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    /** Tries every operation but close on sockets the caller does not own; returns what each threw. */
    private static Map<String, Throwable> misuse(ServerSocket server, Socket socket) {
        Map<String, Throwable> thrown = new LinkedHashMap<>();
        thrown.put("accept", thrownBy(() -> server.accept()));
        thrown.put("read", thrownBy(() -> socket.read(ByteBuffer.allocate(1))));
        thrown.put("recv", thrownBy(() -> socket.recv(1)));
        thrown.put("write", thrownBy(() -> socket.write(ByteBuffer.wrap(new byte[] {1}))));
        thrown.put("sendAll", thrownBy(() -> socket.sendAll(new byte[] {1})));
        thrown.put("inputStream().read", thrownBy(() -> socket.inputStream().read()));
        thrown.put("outputStream().write", thrownBy(() -> socket.outputStream().write(1)));
        thrown.put("shutdownOutput", thrownBy(socket::shutdownOutput));
        thrown.put("setOption", thrownBy(() -> socket.setOption(StandardSocketOptions.TCP_NODELAY, true)));
        thrown.put("getOption", thrownBy(() -> socket.getOption(StandardSocketOptions.TCP_NODELAY)));
        return thrown;
    }

    private static void assertAllRefused(String owner, Map<String, Throwable> thrown) {
        thrown.forEach((operation, error) -> {
            IllegalStateException refused = assertInstanceOf(IllegalStateException.class, error,
                    () -> operation + " from outside the owning hub");
            assertTrue(refused.getMessage().contains(owner),
                    () -> operation + ": the message names the owning hub " + owner + ": " + refused.getMessage());
        });
    }

    /** The refused operations changed nothing: the connection still carries bytes both ways. */
    private static void assertStillWorks(Socket client, Socket accepted) throws IOException {
        client.sendAll(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, accepted.recv(16));
        accepted.sendAll(new byte[] {3});
        assertArrayEquals(new byte[] {3}, client.recv(16));
        assertTrue(client.isOpen());
    }

    @Test
    void closeFromAPlainThreadClosesTheSocketAndWakesItsReaderWithAnIOException() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            Greenlet<Throwable> reader = Gevent.spawn(() -> thrownBy(() -> client.recv(16)));
            Gevent.idle();
            assertFalse(reader.dead(), "the reader waits for data that never comes");
            AsyncResult<Void> closed = new AsyncResult<>();
            Thread thread = Thread.ofPlatform().name("tck-closer").start(() -> {
                try {
                    client.close();
                    closed.set(null);
                } catch (Throwable e) {
                    closed.setException(e);
                }
            });
            // The pending read keeps the hub alive until the close arrives and ends it.
            Throwable woken = reader.get();
            assertInstanceOf(IOException.class, woken);
            assertInstanceOf(AsynchronousCloseException.class, woken);
            assertFalse(client.isOpen());
            assertEquals(0, accepted.recv(16).length, "the peer sees the end of the stream");
            try (var _ = Timeout.startNew(GUARD)) {
                assertNull(closed.get(), "close() from the plain thread returned normally");
            } finally {
                thread.join();
            }
        }
    }

    @Test
    void closeOfAListenerFromAPlainThreadWakesItsAccept() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4()) {
            Greenlet<Throwable> acceptor = Gevent.spawn(() -> thrownBy(() -> server.accept()));
            Gevent.idle();
            assertFalse(acceptor.dead(), "no one connects: the acceptor waits");
            Thread thread = Thread.ofPlatform().name("tck-listener-closer").start(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertInstanceOf(AsynchronousCloseException.class, acceptor.get());
            assertFalse(server.isOpen());
            thread.join();
        }
    }

    @Test
    void aSecondGreenletReadingAtOnceGetsAnIllegalStateExceptionAndTheFirstGoesOn() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            Greenlet<byte[]> first = Gevent.spawn(() -> client.recv(16));
            Gevent.idle();
            assertFalse(first.dead(), "the first reader waits");
            Greenlet<Throwable> second = Gevent.spawn(() -> thrownBy(() -> client.recv(16)));
            assertInstanceOf(IllegalStateException.class, second.get());
            assertFalse(first.dead(), "the second reader's failure did not disturb the first");

            accepted.sendAll(new byte[] {4, 2});
            assertArrayEquals(new byte[] {4, 2}, first.get());
            accepted.sendAll(new byte[] {7});
            assertArrayEquals(new byte[] {7}, client.recv(16), "the socket reads on after the clash");
        }
    }

    @Test
    void aSecondGreenletWritingAtOnceGetsAnIllegalStateExceptionAndTheFirstGoesOn() throws Exception {
        byte[] data = randomBytes(8 << 20);
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            Greenlet<Void> first = Gevent.spawn(() -> {
                client.sendAll(data);
                client.shutdownOutput();
            });
            Gevent.idle();
            assertFalse(first.dead(), "no one reads yet: eight megabytes do not fit the buffers, the first writer waits");
            Greenlet<Throwable> second = Gevent.spawn(() -> thrownBy(() -> client.sendAll(new byte[] {1})));
            assertInstanceOf(IllegalStateException.class, second.get());

            assertArrayEquals(data, readToEnd(accepted), "the first writer's bytes, all of them and no other");
            first.get();
        }
    }
}
