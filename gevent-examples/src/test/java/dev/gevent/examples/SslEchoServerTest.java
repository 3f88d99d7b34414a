package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.server.StreamServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sslechoserver} example on a hub of its own thread with a key store made by the JDK's
 * {@code keytool}, driven by a plain JDK TLS client that trusts that key store's certificate.
 */
class SslEchoServerTest {
    private static final String PASSWORD = TestKeyStore.PASSWORD;

    @TempDir
    static Path dir;
    private static Path keyStore;

    @BeforeAll
    static void makeKeyStore() throws Exception {
        keyStore = TestKeyStore.make(dir);
    }

    @Test
    @Timeout(30)
    void echoesBytesOverTls() throws Exception {
        SslEchoServer.Options options = SslEchoServer.parse(new String[] {"0", keyStore.toString(), PASSWORD});
        SSLContext serverContext = SslEchoServer.serverContext(options.keyStore(), options.password());
        LogCapture log = new LogCapture();
        try (HubThread hub = new HubThread("sslechoserver")) {
            StreamServer server = hub.call(() -> SslEchoServer.start(options.port(), serverContext, log.stream()));
            int port = server.address().getPort();
            assertTrue(log.lines().getFirst().startsWith("sslechoserver: listening on 127.0.0.1:" + port + " "), log.lines()::toString);
            try (SSLSocket client = (SSLSocket) TestKeyStore.clientContext(keyStore).getSocketFactory().createSocket("127.0.0.1", port)) {
                client.setSoTimeout(10_000);
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                for (int round = 0; round < 20; round++) {
                    byte[] message = new byte[64];
                    for (int i = 0; i < message.length; i++) {
                        message[i] = (byte) (round * 64 + i);
                    }
                    out.write(message);
                    assertArrayEquals(message, in.readNBytes(64), "round " + round);
                }
                assertTrue(client.getSession().getProtocol().startsWith("TLS"), client.getSession().getProtocol());
            }
            assertEquals(List.of(), hub.errors());
        }
    }

    @Test
    void aWrongPasswordFailsBeforeTheServerStarts() {
        assertThrows(IOException.class, () -> SslEchoServer.serverContext(keyStore, "wrong".toCharArray()));
    }

    @Test
    void rejectsArgumentsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> SslEchoServer.parse(new String[] {"0", keyStore.toString()}));
        assertThrows(IllegalArgumentException.class,
                () -> SslEchoServer.parse(new String[] {"0", dir.resolve("missing.p12").toString(), PASSWORD}));
        assertThrows(IllegalArgumentException.class, () -> SslEchoServer.parse(new String[] {"0", dir.toString(), PASSWORD}));
        assertThrows(IllegalArgumentException.class, () -> SslEchoServer.parse(new String[] {"https", keyStore.toString(), PASSWORD}));
    }
}
