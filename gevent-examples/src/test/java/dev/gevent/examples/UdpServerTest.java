package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.server.DatagramServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code udp_server} example on a hub of its own thread, driven by a plain JDK datagram
 * socket: each datagram is answered with its size and logged.
 */
class UdpServerTest {

    @Test
    @Timeout(30)
    void answersEachDatagramWithItsSize() throws Exception {
        LogCapture log = new LogCapture();
        try (HubThread hub = new HubThread("udp_server");
                DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            DatagramServer server = hub.call(() -> UdpServer.start(0, log.stream()));
            InetSocketAddress address = server.address();
            assertTrue(log.lines().getFirst().startsWith("udp_server: receiving datagrams on 127.0.0.1:" + address.getPort() + " "),
                    log.lines()::toString);
            client.setSoTimeout(10_000);
            for (byte[] message : List.of("hello".getBytes(StandardCharsets.US_ASCII), new byte[1000], new byte[0])) {
                client.send(new DatagramPacket(message, message.length, address));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                client.receive(reply);
                assertEquals("Received " + message.length + " bytes",
                        new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
                assertEquals(address, reply.getSocketAddress());
            }
            log.await(": got 'hello'", Duration.ofSeconds(10));
            assertEquals(List.of(), hub.errors());
        }
    }

    @Test
    void rejectsArgumentsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> UdpServer.parse(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> UdpServer.parse(new String[] {"9000", "9001"}));
        assertThrows(IllegalArgumentException.class, () -> UdpServer.parse(new String[] {"-1"}));
        assertEquals(9000, UdpServer.parse(new String[] {"9000"}));
    }
}
