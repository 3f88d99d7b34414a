package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.server.StreamServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code echoserver} example on a hub of its own thread, driven by plain JDK client sockets:
 * the byte echo a load generator relies on, one greenlet per connection, and gevent's greeting
 * line echo with {@code --greet}.
 */
class EchoServerTest {
    private static final Duration LOG_LIMIT = Duration.ofSeconds(10);

    private HubThread hub;
    private LogCapture log;

    @BeforeEach
    void startHub() throws Exception {
        hub = new HubThread("echoserver");
        log = new LogCapture();
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private int start(String... args) throws Exception {
        EchoServer.Options options = EchoServer.parse(args);
        StreamServer server = hub.call(() -> EchoServer.start(options, log.stream()));
        return server.address().getPort();
    }

    @Test
    @Timeout(30)
    void echoesRawMessagesByteForByteWithoutAGreeting() throws Exception {
        int port = start("0");
        assertTrue(log.lines().getFirst().startsWith("echoserver: listening on 127.0.0.1:" + port + " "), log.lines()::toString);
        try (Socket client = connect(port)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int round = 0; round < 100; round++) {
                byte[] message = new byte[64];
                for (int i = 0; i < message.length; i++) {
                    message[i] = (byte) (round * 64 + i);   // every byte value, CR, LF and NUL included
                }
                out.write(message);
                assertArrayEquals(message, in.readNBytes(64), "round " + round);
            }
            client.shutdownOutput();
            assertEquals(-1, in.read(), "the server did not end the connection after the client's end of stream");
        }
        assertEquals(List.of(), hub.errors());
    }

    @Test
    @Timeout(30)
    void servesASecondClientWhileTheFirstIsConnectedAndIdle() throws Exception {
        int port = start("0");
        try (Socket idle = connect(port); Socket active = connect(port)) {
            active.getOutputStream().write("second".getBytes(StandardCharsets.US_ASCII));
            assertEquals("second", new String(active.getInputStream().readNBytes(6), StandardCharsets.US_ASCII));
            idle.getOutputStream().write("first".getBytes(StandardCharsets.US_ASCII));
            assertEquals("first", new String(idle.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
        }
    }

    @Test
    @Timeout(30)
    void echoesALargeWriteInFull() throws Exception {
        int port = start("0");
        byte[] payload = new byte[1 << 20];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        try (Socket client = connect(port)) {
            // write from another thread: the echo comes back while the payload is still going out
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    client.getOutputStream().write(payload);
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] echoed = client.getInputStream().readAllBytes();
            writer.join();
            assertArrayEquals(payload, echoed);
        }
    }

    @Test
    @Timeout(30)
    void greetModeGreetsEchoesLinesAndEndsOnQuit() throws Exception {
        int port = start("--greet", "0");
        try (Socket client = connect(port)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            byte[] greeting = EchoServer.GREETING.getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(greeting, in.readNBytes(greeting.length));
            out.write("hello\r\nworld\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("hello\r\nworld\n", new String(in.readNBytes(13), StandardCharsets.US_ASCII));
            out.write("  QUIT \r\nnot echoed\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, in.read(), "quit did not end the connection");
        }
        log.await("client quit", LOG_LIMIT);
        assertTrue(log.lines().stream().anyMatch(line -> line.startsWith("New connection from ")), log.lines()::toString);
        assertTrue(log.lines().contains("echoed 'hello\\r\\n'"), log.lines()::toString);
        assertTrue(log.lines().stream().noneMatch(line -> line.contains("not echoed")), log.lines()::toString);
    }

    @Test
    @Timeout(30)
    void greetModeLogsAClientThatDisconnects() throws Exception {
        int port = start("--greet", "0");
        try (Socket client = connect(port)) {
            client.getInputStream().readNBytes(EchoServer.GREETING.length());
        }
        log.await("client disconnected", LOG_LIMIT);
    }

    @Test
    void rejectsArgumentsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> EchoServer.parse(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> EchoServer.parse(new String[] {"--greet"}));
        assertThrows(IllegalArgumentException.class, () -> EchoServer.parse(new String[] {"65536"}));
        assertThrows(IllegalArgumentException.class, () -> EchoServer.parse(new String[] {"port"}));
        assertThrows(IllegalArgumentException.class, () -> EchoServer.parse(new String[] {"--loud", "0"}));
        assertThrows(IllegalArgumentException.class, () -> EchoServer.parse(new String[] {"1", "2"}));
        assertEquals(new EchoServer.Options(16000, true), EchoServer.parse(new String[] {"16000", "--greet"}));
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        return socket;
    }
}
