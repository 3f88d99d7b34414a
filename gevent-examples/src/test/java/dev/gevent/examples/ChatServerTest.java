package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code chat} example on a hub of its own thread, with plain JDK clients on loopback. */
class ChatServerTest {
    private HubThread hub;
    private LogCapture log;
    private int port;

    @BeforeEach
    void start() throws Exception {
        hub = new HubThread("chat");
        log = new LogCapture();
        port = hub.call(() -> ChatServer.start(0, log.stream())).address().getPort();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /** A line-based client. */
    private record Client(Socket socket, BufferedReader in, PrintWriter out) implements AutoCloseable {
        static Client connect(int port) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(10_000);
            return new Client(s, new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)),
                    new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8));
        }

        String line() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    @Timeout(30)
    void linesGoToEveryoneElseWithJoinsAndLeaves() throws Exception {
        try (Client ann = Client.connect(port)) {
            assertEquals("welcome, user1; 0 other(s) here; /quit leaves", ann.line());
            try (Client bob = Client.connect(port); Client cy = Client.connect(port)) {
                assertEquals("welcome, user2; 1 other(s) here; /quit leaves", bob.line());
                assertEquals("welcome, user3; 2 other(s) here; /quit leaves", cy.line());
                assertEquals("* user2 joined", ann.line());
                assertEquals("* user3 joined", ann.line());
                assertEquals("* user3 joined", bob.line());

                ann.out().println("hello all");
                assertEquals("user1: hello all", bob.line());
                assertEquals("user1: hello all", cy.line());
                bob.out().println("hi ann");
                // ann's own line was not sent back to her: the next line she reads is bob's
                assertEquals("user2: hi ann", ann.line());
                assertEquals("user2: hi ann", cy.line());

                bob.out().println("/quit");
                assertEquals(null, bob.line(), "the server ends a session on /quit");
                assertEquals("* user2 left", ann.line());
                assertEquals("* user2 left", cy.line());
            }
            assertEquals("* user3 left", ann.line(), "a client that just disconnects leaves too");
        }
        log.await("chat: user1 left", Duration.ofSeconds(10));
        assertEquals(List.of(), hub.errors());
    }

    @Test
    @Timeout(60)
    void aClientThatStopsReadingIsDroppedAndTheOthersGoOn() throws Exception {
        String big = "x".repeat(16 * 1024);
        try (Client ann = Client.connect(port); Client cy = Client.connect(port)) {
            ann.line();
            cy.line();
            assertEquals("* user2 joined", ann.line());
            // cy reads nothing: the socket buffers fill, then cy's outbox; at BACKLOG lines behind, cy is dropped.
            int sent = 0;
            while (log.lines().stream().noneMatch(l -> l.contains("user2 is " + ChatServer.BACKLOG + " lines behind: dropped"))) {
                assertTrue(sent < 20_000, "cy was never dropped");
                ann.out().println(big);
                sent++;
            }
            assertEquals("* user2 left", ann.line(), "ann hears that cy left");
            // cy's connection was closed: what it had not read yet, then the end of the stream.
            while (cy.line() != null) {
                // drain
            }
            try (Client bob = Client.connect(port)) {
                assertEquals("welcome, user3; 1 other(s) here; /quit leaves", bob.line());
                assertEquals("* user3 joined", ann.line());
                ann.out().println("still here");
                // ann's big lines that the server took in before bob joined may still be on their way to him
                String line = bob.line();
                while (("user1: " + big).equals(line)) {
                    line = bob.line();
                }
                assertEquals("user1: still here", line);
            }
        }
        assertEquals(List.of(), hub.errors());
    }

    @Test
    @Timeout(60)
    void sigtermStopsTheServerAndEndsTheSessions() throws Exception {
        // The example's own main in a JVM of its own: Gevent.signalHandler("TERM", ...) stops it.
        Process chat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "chat", "0")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(chat.getInputStream(), StandardCharsets.UTF_8));
            String listening = stdout.readLine();
            assertTrue(listening != null && listening.startsWith("chat: listening on 127.0.0.1:"), listening);
            int chatPort = Integer.parseInt(listening.replaceAll("^chat: listening on 127\\.0\\.0\\.1:(\\d+).*$", "$1"));
            try (Client ann = Client.connect(chatPort)) {
                assertEquals("welcome, user1; 0 other(s) here; /quit leaves", ann.line());
                assertTrue(stdout.readLine().startsWith("chat: user1 joined"));
                chat.toHandle().destroy();   // SIGTERM
                assertEquals(null, ann.line(), "the session was ended after the grace period");
            }
            assertTrue(chat.waitFor(30, TimeUnit.SECONDS), "the server exited after SIGTERM");
            assertEquals(0, chat.exitValue());
        } finally {
            chat.destroyForcibly();
        }
    }

    @Test
    void rejectsArgumentsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> ChatServer.main(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> ChatServer.main(new String[] {"http"}));
        assertTrue(log.lines().getFirst().startsWith("chat: listening on 127.0.0.1:" + port));
    }
}
