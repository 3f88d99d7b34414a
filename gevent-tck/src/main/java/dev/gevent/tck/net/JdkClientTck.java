package dev.gevent.tck.net;

import static dev.gevent.tck.net.EchoPeer.acceptOneAndEcho;
import static dev.gevent.tck.net.EchoPeer.randomBytes;
import static dev.gevent.tck.net.EchoPeer.readToEnd;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Timeout;
import dev.gevent.event.AsyncResult;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * gevent's sockets speak to any peer, and the JDK's own sockets cooperate inside greenlets (what
 * gevent needs {@code monkey.patch_socket} for): a blocking {@code java.net.Socket} in a greenlet
 * echoes a megabyte through a {@code ServerSocket} served by another greenlet of the same hub; a
 * blocking {@code SocketChannel} on a plain platform thread is served by the hub; and a gevent
 * {@code Socket} is the client of a {@code java.net.ServerSocket} served by a platform thread.
 *
 * <p>Where only a plain thread can end a wait, the main greenlet keeps a {@link Timeout} pending
 * while it waits: a wait that only another thread can end does not keep a hub alive (as in gevent),
 * and the timer does; it fails the test only if the thread never answers.
 */
@GeventTck
public class JdkClientTck {
    /** Only a thread that never answered lets this guard fire. */
    private static final Duration GUARD = Duration.ofSeconds(10);

    @Test
    void blockingJdkSocketInAGreenletEchoesThroughAServerGreenletOfTheSameHub() throws Exception {
        byte[] data = randomBytes(1 << 20);
        try (ServerSocket server = Loopback.listenIpv4()) {
            Greenlet<Long> echo = acceptOneAndEcho(server);
            // Both ends are greenlets of one hub: had the JDK socket's blocking read or write held
            // the hub's thread, the echo greenlet could never have run, and the megabyte would not
            // fit the buffers, so the test would hang.
            Greenlet<byte[]> client = Gevent.spawn(() -> {
                try (java.net.Socket socket = new java.net.Socket()) {
                    socket.connect(server.localAddress());
                    Greenlet<Void> writer = Gevent.spawn(() -> {
                        socket.getOutputStream().write(data);
                        socket.shutdownOutput();
                    });
                    byte[] back = socket.getInputStream().readAllBytes();
                    writer.get();
                    return back;
                }
            });
            assertArrayEquals(data, client.get());
            assertEquals(data.length, echo.get());
        }
    }

    @Test
    void blockingSocketChannelOnAPlainThreadIsServedByTheHub() throws Exception {
        byte[] request = "request from a platform thread".getBytes(US_ASCII);
        AsyncResult<byte[]> reply = new AsyncResult<>();
        try (ServerSocket server = Loopback.listenIpv4()) {
            InetSocketAddress address = server.localAddress();
            Thread thread = Thread.ofPlatform().name("tck-socket-channel-client").start(() -> {
                try (SocketChannel channel = SocketChannel.open(address)) {
                    channel.write(ByteBuffer.wrap(request));
                    channel.shutdownOutput();
                    reply.set(channel.socket().getInputStream().readAllBytes());
                } catch (Throwable e) {
                    reply.setException(e);
                }
            });
            // The pending accept, and then the pending reads, keep the hub alive while the thread works.
            try (Socket accepted = server.accept()) {
                assertEquals(request.length, EchoPeer.echo(accepted));
            }
            try (var _ = Timeout.startNew(GUARD)) {
                assertArrayEquals(request, reply.get());
            } catch (Timeout t) {
                fail("the platform thread never read the echo");
            } finally {
                thread.join();
            }
        }
    }

    @Test
    void geventSocketIsAClientOfAJdkServerSocketOnAPlainThread() throws Exception {
        AsyncResult<String> served = new AsyncResult<>();
        try (java.net.ServerSocket jdkServer = new java.net.ServerSocket(0, 1, Loopback.IPV4)) {
            Thread thread = Thread.ofPlatform().name("tck-jdk-server").start(() -> {
                try (java.net.Socket accepted = jdkServer.accept()) {
                    InputStream in = accepted.getInputStream();
                    String request = new String(in.readAllBytes(), US_ASCII);
                    accepted.getOutputStream().write(("served " + request).getBytes(US_ASCII));
                    served.set(request);
                } catch (Throwable e) {
                    served.setException(e);
                }
            });
            try (Socket client = Socket.connect(jdkServer.getLocalSocketAddress())) {
                assertEquals(jdkServer.getLocalSocketAddress(), client.remoteAddress());
                client.sendAll("hello".getBytes(US_ASCII));
                client.shutdownOutput();
                // The pending read keeps the hub alive until the thread answers and closes.
                assertEquals("served hello", new String(readToEnd(client), US_ASCII));
            }
            try (var _ = Timeout.startNew(GUARD)) {
                assertEquals("hello", served.get());
            } catch (Timeout t) {
                fail("the server thread never reported");
            } finally {
                thread.join();
            }
        }
    }
}
