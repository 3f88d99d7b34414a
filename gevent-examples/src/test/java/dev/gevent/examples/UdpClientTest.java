package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.server.DatagramServer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code udp_client} example on a hub of its own thread: against the {@code udp_server}
 * example it prints the reply, and against a socket that never answers it gives up after its
 * timeout.
 */
class UdpClientTest {

    @Test
    @Timeout(30)
    void sendsTheMessageAndPrintsTheServersReply() throws Exception {
        LogCapture out = new LogCapture();
        try (HubThread server = new HubThread("udp_server"); HubThread client = new HubThread("udp_client")) {
            DatagramServer udp = server.call(() -> UdpServer.start(0, new LogCapture().stream()));
            int port = udp.address().getPort();
            UdpClient.Options options = UdpClient.parse(new String[] {"127.0.0.1:" + port, "hello", "world"});
            String reply = client.call(() -> UdpClient.send(options, out.stream()));
            assertEquals("Received 11 bytes", reply);
            assertEquals("Sending 11 bytes to 127.0.0.1:" + port, out.lines().get(0));
            assertEquals("127.0.0.1:" + port + ": got 'Received 11 bytes'", out.lines().get(1));
        }
    }

    @Test
    @Timeout(30)
    void givesUpAfterItsTimeoutWhenNoReplyComes() throws Exception {
        try (HubThread client = new HubThread("udp_client");
                DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            UdpClient.Options options = UdpClient.parse(new String[] {"--timeout", "0.2", "127.0.0.1:" + silent.getLocalPort(), "anyone?"});
            long start = System.nanoTime();
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> client.call(() -> UdpClient.send(options, new LogCapture().stream())));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("no reply from 127.0.0.1:" + silent.getLocalPort()), e.getMessage());
            // the default timeout is 5 s: well below that shows --timeout was used
            assertTrue(millis < 4_000, () -> "took " + millis + " ms");
        }
    }

    @Test
    void rejectsArgumentsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> UdpClient.parse(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> UdpClient.parse(new String[] {"127.0.0.1:9000"}));
        assertThrows(IllegalArgumentException.class, () -> UdpClient.parse(new String[] {"127.0.0.1", "hi"}));
        assertThrows(IllegalArgumentException.class, () -> UdpClient.parse(new String[] {"--timeout", "0", "127.0.0.1:9000", "hi"}));
        assertThrows(IllegalArgumentException.class, () -> UdpClient.parse(new String[] {"--timeout"}));
        assertThrows(IllegalArgumentException.class, () -> UdpClient.parse(new String[] {"--verbose", "127.0.0.1:9000", "hi"}));
        UdpClient.Options options = UdpClient.parse(new String[] {"localhost:9000", "a", "b"});
        assertEquals("a b", options.message());
        assertEquals(Duration.ofSeconds(5), options.timeout());
    }
}
