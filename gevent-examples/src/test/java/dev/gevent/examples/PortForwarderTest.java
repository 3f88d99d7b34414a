package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gevent.server.StreamServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code portforwarder} example on a hub of its own thread, in front of a target served on the
 * same hub, driven by plain JDK client sockets: bytes go both ways unchanged, a half-close reaches
 * the target and its late answer still comes back, both connections end, and a client whose target
 * refuses is disconnected.
 */
class PortForwarderTest {
    private static final Duration LOG_LIMIT = Duration.ofSeconds(10);

    private HubThread hub;
    private LogCapture log;

    @BeforeEach
    void startHub() throws Exception {
        hub = new HubThread("portforwarder");
        log = new LogCapture();
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private int startForwarder(int targetPort) throws Exception {
        PortForwarder.Options options = PortForwarder.parse(new String[] {"0", "127.0.0.1:" + targetPort});
        StreamServer forwarder = hub.call(() -> PortForwarder.start(options, log.stream()));
        return forwarder.address().getPort();
    }

    @Test
    @Timeout(30)
    void forwardsBytesBothWaysUnchanged() throws Exception {
        StreamServer echo = hub.call(() -> EchoServer.start(new EchoServer.Options(0, false), new LogCapture().stream()));
        int port = startForwarder(echo.address().getPort());
        try (Socket client = connect(port)) {
            for (int round = 0; round < 50; round++) {
                byte[] message = new byte[64];
                for (int i = 0; i < message.length; i++) {
                    message[i] = (byte) (round * 64 + i);
                }
                client.getOutputStream().write(message);
                assertArrayEquals(message, client.getInputStream().readNBytes(64), "round " + round);
            }
        }
        log.await("closed: 3200 bytes to ", LOG_LIMIT);
        assertEquals(List.of(), hub.errors());
    }

    @Test
    @Timeout(30)
    void propagatesAHalfCloseAndForwardsTheAnswerThatFollowsIt() throws Exception {
        // The target answers only once it has read the end of the request: a forwarder that closed
        // both connections at the first end of stream would lose that answer.
        StreamServer target = hub.call(() -> {
            StreamServer s = new StreamServer(new InetSocketAddress("127.0.0.1", 0), (socket, peer) -> {
                byte[] request = socket.inputStream().readAllBytes();
                socket.sendAll(("got " + request.length + " bytes").getBytes(StandardCharsets.US_ASCII));
            });
            s.start();
            return s;
        });
        int port = startForwarder(target.address().getPort());
        byte[] request = new byte[200_000];
        try (Socket client = connect(port)) {
            client.getOutputStream().write(request);
            client.shutdownOutput();
            InputStream in = client.getInputStream();
            assertEquals("got 200000 bytes", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        log.await("closed: 200000 bytes to /127.0.0.1:" + target.address().getPort() + ", 16 bytes back", LOG_LIMIT);
        assertEquals(List.of(), hub.errors());
    }

    @Test
    @Timeout(30)
    void disconnectsAClientWhoseTargetRefuses() throws Exception {
        int refusing;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = probe.getLocalPort();
        }
        int port = startForwarder(refusing);
        try (Socket client = connect(port)) {
            assertEquals(-1, client.getInputStream().read());
        }
        log.await("failed to connect to /127.0.0.1:" + refusing, LOG_LIMIT);
    }

    @Test
    void rejectsArgumentsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> PortForwarder.parse(new String[] {"8080"}));
        assertThrows(IllegalArgumentException.class, () -> PortForwarder.parse(new String[] {"8080", "example.org"}));
        assertThrows(IllegalArgumentException.class, () -> PortForwarder.parse(new String[] {"8080", "example.org:http"}));
        assertThrows(IllegalArgumentException.class, () -> PortForwarder.parse(new String[] {"8080", "::1:80"}));
        assertThrows(IllegalArgumentException.class, () -> PortForwarder.parse(new String[] {"x", "example.org:80"}));
        PortForwarder.Options v6 = PortForwarder.parse(new String[] {"0", "[::1]:80"});
        assertEquals("::1", v6.target().getHostString());
        assertEquals(80, v6.target().getPort());
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        return socket;
    }
}
