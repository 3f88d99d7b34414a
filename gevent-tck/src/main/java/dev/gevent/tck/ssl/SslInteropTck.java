package dev.gevent.tck.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.event.AsyncResult;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.ssl.SslSocket;
import dev.gevent.tck.GeventTck;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * {@code gevent.ssl} talking to other TLS implementations: the JDK's blocking {@code SSLSocket} used
 * from a greenlet against our server, our client against a JDK {@code SSLServerSocket} served by a
 * platform thread, and {@code openssl s_client} against our server. What TLS sends after the
 * handshake is handled while reading: TLS 1.3 key updates from either side, and TLS 1.2
 * renegotiation started by either side, also with an engine that holds writes until the
 * renegotiation is done while another greenlet reads.
 */
@GeventTck
public class SslInteropTck {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void theJdkSslSocketInAGreenletTalksToOurServer() throws Exception {
        try (ServerSocket listener = listen()) {
            int port = listener.localAddress().getPort();
            Greenlet<String> client = Gevent.spawn(() -> {
                try (SSLSocket socket = jdkClient(port)) {
                    return exchangeLines(socket, List.of("hello", "from the JDK"));
                }
            });
            Greenlet<Long> echo = Echo.serve(SslSocket.server(listener.accept(), SelfSignedCertificate.get().serverContext()));
            assertEquals("hello|from the JDK|", client.get());
            assertEquals("hello\nfrom the JDK\n".length(), echo.get());
        }
    }

    @Test
    void ourClientTalksToAJdkSslServerSocketOnAPlatformThread() throws Exception {
        try (SSLServerSocket listener = jdkServer()) {
            CompletableFuture<Long> served = servedOnAPlatformThread(listener, false);
            try (SslSocket client = connect(listener)) {
                byte[] data = Echo.data(300_000);
                Greenlet<Void> writer = Gevent.spawn(() -> {
                    client.sendAll(data);
                    client.shutdownOutput();
                });
                byte[] echoed = client.inputStream().readAllBytes();
                writer.get();
                assertArrayEquals(data, echoed);
                assertEquals("TLSv1.3", client.session().getProtocol());
            }
            assertEquals(300_000L, AsyncResult.of(served).get(LIMIT));
        }
    }

    @Test
    void keyUpdatesFromAJdkClientAreHandledWhileOurServerReads() throws Exception {
        try (ServerSocket listener = listen()) {
            int port = listener.localAddress().getPort();
            Greenlet<String> client = Gevent.spawn(() -> {
                try (SSLSocket socket = jdkClient(port)) {
                    StringBuilder got = new StringBuilder();
                    for (int round = 0; round < 3; round++) {
                        got.append(exchangeLines(socket, List.of("round " + round)));
                        // Under TLS 1.3, a handshake after the first one is a KeyUpdate asking the peer to update too.
                        socket.startHandshake();
                    }
                    got.append(exchangeLines(socket, List.of("after")));
                    assertEquals("TLSv1.3", socket.getSession().getProtocol());
                    return got.toString();
                }
            });
            Greenlet<Long> echo = Echo.serve(SslSocket.server(listener.accept(), SelfSignedCertificate.get().serverContext()));
            assertEquals("round 0|round 1|round 2|after|", client.get());
            echo.get();
        }
    }

    @Test
    void keyUpdatesFromAJdkServerAreHandledWhileOurClientReads() throws Exception {
        try (SSLServerSocket listener = jdkServer()) {
            CompletableFuture<Long> served = servedOnAPlatformThread(listener, true);
            try (SslSocket client = connect(listener)) {
                for (int round = 0; round < 3; round++) {
                    byte[] line = ("round " + round + "\n").getBytes(StandardCharsets.US_ASCII);
                    client.sendAll(line);
                    assertEquals("round " + round + "\n", readLine(client));
                }
                client.sendAll("bye\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("bye\n", readLine(client));
                client.shutdownOutput();
                assertEquals(-1, client.inputStream().read());
            }
            AsyncResult.of(served).get(LIMIT);
        }
    }

    @Test
    void aTls12RenegotiationStartedByAJdkClientIsServedByOurServer() throws Exception {
        try (ServerSocket listener = listen()) {
            int port = listener.localAddress().getPort();
            CompletableFuture<Integer> secondHandshake = new CompletableFuture<>();
            AtomicInteger handshakes = new AtomicInteger();
            Greenlet<String> client = Gevent.spawn(() -> {
                try (SSLSocket socket = jdkClient(port)) {
                    socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                    socket.addHandshakeCompletedListener(event -> {
                        if (handshakes.incrementAndGet() == 2) {
                            secondHandshake.complete(2);
                        }
                    });
                    String first = exchangeLines(socket, List.of("before"));
                    socket.startHandshake();
                    return first + exchangeLines(socket, List.of("after", "renegotiation"));
                }
            });
            SslSocket server = SslSocket.server(listener.accept(), SelfSignedCertificate.get().serverContext());
            Greenlet<Long> echo = Echo.serve(server);
            assertEquals("before|after|renegotiation|", client.get());
            echo.get();
            assertEquals("TLSv1.2", server.session().getProtocol());
            assertEquals(2, AsyncResult.of(secondHandshake).get(LIMIT));
        }
    }

    @Test
    void aTls12RenegotiationRequestedByAJdkServerIsHandledByOurClient() throws Exception {
        try (SSLServerSocket listener = jdkServer()) {
            listener.setEnabledProtocols(new String[] {"TLSv1.2"});
            CompletableFuture<Long> served = servedOnAPlatformThread(listener, true);
            try (SslSocket client = connect(listener)) {
                for (int round = 0; round < 3; round++) {
                    client.sendAll(("round " + round + "\n").getBytes(StandardCharsets.US_ASCII));
                    assertEquals("round " + round + "\n", readLine(client));
                }
                // The last round's renegotiation is still under way: this write has to finish it first.
                client.sendAll("bye\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("bye\n", readLine(client));
                assertEquals("TLSv1.2", client.session().getProtocol());
                client.shutdownOutput();
                assertEquals(-1, client.inputStream().read());
            }
            AsyncResult.of(served).get(LIMIT);
        }
    }

    @Test
    void aWriteThatTheEngineHoldsDuringARenegotiationWaitsForTheReaderToGetThePeersAnswer() throws Exception {
        WriteHoldingContext holding = new WriteHoldingContext(SelfSignedCertificate.get().clientContext());
        try (SSLServerSocket listener = jdkServer()) {
            listener.setEnabledProtocols(new String[] {"TLSv1.2"});
            CompletableFuture<Long> served = servedOnAPlatformThread(listener, true);
            Socket plain = Socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
            try (SslSocket client = SslSocket.client(plain, holding.context, "localhost")) {
                Greenlet<byte[]> reader = Gevent.spawn(() -> client.inputStream().readAllBytes());
                client.sendAll("round 0\n".getBytes(StandardCharsets.US_ASCII));
                holding.renegotiationStarted.get(LIMIT);
                // The reader is blocked in a read: only it can get the server's answer in.
                client.sendAll("during\n".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                assertEquals("round 0\nduring\n", new String(reader.get(), StandardCharsets.US_ASCII));
            }
            assertTrue(holding.heldWrites.get() > 0, "no write was held: the test did not test anything");
            AsyncResult.of(served).get(LIMIT);
        }
    }

    @Test
    void opensslSClientExchangesALineWithOurServer() throws Exception {
        Path openssl = onPath("openssl");
        assumeTrue(openssl != null, "openssl is not installed");
        SelfSignedCertificate certificate = SelfSignedCertificate.get();
        try (ServerSocket listener = listen()) {
            int port = listener.localAddress().getPort();
            Path errors = Files.createTempFile("s_client", ".err");
            CompletableFuture<String> output = new CompletableFuture<>();
            // Off the hub: reading a process's pipes blocks its thread.
            Thread.ofPlatform().daemon(true).name("openssl-s_client").start(() -> {
                Process process = null;
                try {
                    process = new ProcessBuilder(openssl.toString(), "s_client", "-connect", "127.0.0.1:" + port, "-quiet",
                            "-servername", "localhost", "-verify_hostname", "localhost", "-verify_return_error",
                            "-CAfile", certificate.certificatePem().toString())
                            .redirectError(errors.toFile()).start();
                    try (OutputStream stdin = process.getOutputStream()) {
                        stdin.write("hello from openssl\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
                    output.complete(out);
                } catch (Throwable e) {
                    output.completeExceptionally(e);
                } finally {
                    if (process != null) {
                        process.destroyForcibly();
                    }
                }
            });
            try (SslSocket server = SslSocket.server(listener.accept(), certificate.serverContext())) {
                String line = readLine(server);
                server.sendAll(("echo: " + line).getBytes(StandardCharsets.US_ASCII));
            }
            try {
                String out = AsyncResult.of(output).get(LIMIT);
                assertEquals("echo: hello from openssl\n", out, () -> "s_client's stderr: " + read(errors));
            } finally {
                Files.deleteIfExists(errors);
            }
        }
    }

    // ---- helpers ----

    private static ServerSocket listen() throws IOException {
        return ServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** A JDK client socket that checks the server's certificate and host name, as ours does. */
    private static SSLSocket jdkClient(int port) throws IOException {
        SSLSocket socket = (SSLSocket) SelfSignedCertificate.get().clientContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static SSLServerSocket jdkServer() throws IOException {
        return (SSLServerSocket) SelfSignedCertificate.get().serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    private static SslSocket connect(SSLServerSocket listener) throws IOException {
        Socket plain = Socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
        return SslSocket.client(plain, SelfSignedCertificate.get().clientContext(), "localhost");
    }

    /**
     * Serves one connection of {@code listener} on a platform thread: echoes what it reads until the
     * end of the stream; with {@code newKeysPerLine}, starts a handshake (a TLS 1.3 key update, a
     * TLS 1.2 renegotiation) before echoing each line that begins with "round".
     *
     * @return completed with the number of bytes echoed
     */
    private static CompletableFuture<Long> servedOnAPlatformThread(SSLServerSocket listener, boolean newKeysPerLine) {
        CompletableFuture<Long> served = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("jdk-tls-server").start(() -> {
            try (SSLSocket socket = (SSLSocket) listener.accept()) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                long total = 0;
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    total += n;
                    if (!newKeysPerLine) {
                        out.write(buffer, 0, n);
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        line.write(buffer[i]);
                        if (buffer[i] == '\n') {
                            if (line.toString(StandardCharsets.US_ASCII).startsWith("round")) {
                                socket.startHandshake();
                            }
                            out.write(line.toByteArray());
                            line.reset();
                        }
                    }
                }
                served.complete(total);
            } catch (Throwable e) {
                served.completeExceptionally(e);
            }
        });
        return served;
    }

    /** Writes each line, reads its echo; returns the echoes joined by '|'. */
    private static String exchangeLines(SSLSocket socket, List<String> lines) throws IOException {
        StringBuilder got = new StringBuilder();
        for (String line : lines) {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream echoed = new ByteArrayOutputStream();
            int b;
            while ((b = socket.getInputStream().read()) != '\n') {
                if (b < 0) {
                    throw new IOException("end of stream before the echo of " + line);
                }
                echoed.write(b);
            }
            got.append(echoed.toString(StandardCharsets.UTF_8)).append('|');
        }
        return got.toString();
    }

    /** @return the next line, with its '\n' */
    private static String readLine(SslSocket socket) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        InputStream in = socket.inputStream();
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new IOException("end of stream after " + line);
            }
            line.write(b);
        } while (b != '\n');
        return line.toString(StandardCharsets.UTF_8);
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
