package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code fileserver} example on a hub of its own thread, with plain JDK clients on loopback. */
class FileServerTest {
    @TempDir
    Path dir;
    private Path root;
    private HubThread hub;
    private LogCapture log;
    private int port;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectory(dir.resolve("root"));
        hub = new HubThread("fileserver");
        log = new LogCapture();
        port = hub.call(() -> FileServer.start(root, 0, log.stream())).address().getPort();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /** Sends {@code request} and returns the status line, then the rest of the answer in {@code body}. */
    private String get(String request, ByteArrayOutputStream body) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream status = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                status.write(b);
            }
            in.transferTo(body);
            return status.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    @Timeout(30)
    void sendsAFileOfSeveralChunksByteForByte() throws Exception {
        byte[] content = new byte[3 * 64 * 1024 + 123];
        new Random(7).nextBytes(content);
        Files.createDirectory(root.resolve("sub"));
        Files.write(root.resolve("sub/data.bin"), content);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        assertEquals("200 " + content.length, get("GET sub/data.bin\n", body));
        assertArrayEquals(content, body.toByteArray());

        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        Files.write(root.resolve("empty"), new byte[0]);
        assertEquals("200 0", get("GET empty\n", empty));
        assertEquals(0, empty.size());
        log.await("GET sub/data.bin 200 " + content.length + " bytes", Duration.ofSeconds(10));
        assertEquals(List.of(), hub.errors());
    }

    @Test
    @Timeout(30)
    void refusesMissingFilesPathsOutsideTheRootAndBadRequests() throws Exception {
        Files.writeString(dir.resolve("secret"), "outside");
        Files.createSymbolicLink(root.resolve("link"), dir.resolve("secret"));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        assertEquals("404 no such file: nothing-here", get("GET nothing-here\n", body));
        assertEquals("403 outside the served directory: ../secret", get("GET ../secret\n", body));
        assertEquals("403 outside the served directory: link", get("GET link\n", body));
        assertEquals("400 expected GET PATH", get("PUT x\n", body));
        assertEquals(0, body.size());
        assertEquals(List.of(), hub.errors());
    }

    @Test
    void rejectsArgumentsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> FileServer.main(new String[] {"."}));
        assertThrows(IllegalArgumentException.class, () -> FileServer.main(new String[] {".", "port"}));
        assertTrue(log.lines().getFirst().startsWith("fileserver: serving "));
    }
}
