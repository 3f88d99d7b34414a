package dev.gevent.tck.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Datagram operations of a {@link Transport}: sendTo and receiveFrom, with the sender's address. */
public class TransportDatagramTck extends LoopTck {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(Harness.IPV4_LOOPBACK, 0);

    @Test
    void roundTripGivesTheSendersAddress() throws IOException {
        SocketHandle a = h.transport.openDatagram(ANY_PORT);
        SocketHandle b = h.transport.openDatagram(ANY_PORT);
        ByteBuffer atB = ByteBuffer.allocate(16);
        Recorder receive = h.recorder();
        assertNull(h.transport.receiveFrom(b, atB, receive), "nothing was sent, so the receive is pending");
        assertEquals(1, h.loop.pendingOperations());

        h.send(a, "ping", h.localInet(b));
        h.await(receive);
        assertEquals(h.localInet(a), receive.value(), "the sender's address");
        assertEquals(4, receive.result(), "bytes received");
        assertEquals("ping", Bytes.text(atB.flip()));

        h.send(b, "pong", h.localInet(a));
        ByteBuffer atA = ByteBuffer.allocate(16);
        assertEquals(h.localInet(b), h.receive(a, atA));
        assertEquals("pong", Bytes.text(atA.flip()));
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void roundTripWithAJavaNetPeer() throws IOException {
        SocketHandle socket = h.transport.openDatagram(ANY_PORT);
        try (DatagramSocket peer = new DatagramSocket(ANY_PORT)) {
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            peer.send(new DatagramPacket(hello, hello.length, h.localInet(socket)));
            ByteBuffer dst = ByteBuffer.allocate(16);
            assertEquals(peer.getLocalSocketAddress(), h.receive(socket, dst));
            assertEquals("hello", Bytes.text(dst.flip()));

            h.send(socket, "olleh", peer.getLocalSocketAddress());
            DatagramPacket reply = new DatagramPacket(new byte[16], 16);
            peer.receive(reply);
            assertEquals("olleh", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII));
            assertEquals(h.localInet(socket), reply.getSocketAddress());
        }
    }

    @Test
    void whatDoesNotFitIsDiscarded() throws IOException {
        SocketHandle a = h.transport.openDatagram(ANY_PORT);
        SocketHandle b = h.transport.openDatagram(ANY_PORT);
        h.send(a, "0123456789", h.localInet(b));
        h.send(a, "abc", h.localInet(b));
        ByteBuffer small = ByteBuffer.allocate(4);
        h.receive(b, small);
        assertEquals("0123", Bytes.text(small.flip()));
        ByteBuffer next = ByteBuffer.allocate(16);
        h.receive(b, next);
        assertEquals("abc", Bytes.text(next.flip()), "the next receive gets the next datagram");
    }

    @Test
    void secondReceiveIsIllegalState() throws IOException {
        SocketHandle socket = h.transport.openDatagram(ANY_PORT);
        assertNull(h.transport.receiveFrom(socket, ByteBuffer.allocate(8), h.recorder()));
        assertThrows(IllegalStateException.class,
                () -> h.transport.receiveFrom(socket, ByteBuffer.allocate(8), h.recorder()));
        assertEquals(1, h.loop.pendingOperations());
    }

    @Test
    void sendingWhileAReceiveIsPendingIsAllowed() throws IOException {
        SocketHandle a = h.transport.openDatagram(ANY_PORT);
        SocketHandle b = h.transport.openDatagram(ANY_PORT);
        Recorder receive = h.recorder();
        assertNull(h.transport.receiveFrom(a, ByteBuffer.allocate(8), receive));
        h.send(a, "out", h.localInet(b));
        h.send(b, "in", h.localInet(a));
        h.await(receive);
        assertEquals(2, receive.result());
    }

    @Test
    void addresses() throws IOException {
        SocketHandle socket = h.transport.openDatagram(ANY_PORT);
        InetSocketAddress local = h.localInet(socket);
        assertEquals(Harness.IPV4_LOOPBACK, local.getAddress());
        assertTrue(local.getPort() > 0, "bound to an ephemeral port");
        assertNull(h.transport.remoteAddress(socket), "an unconnected datagram socket has no peer");
    }
}
