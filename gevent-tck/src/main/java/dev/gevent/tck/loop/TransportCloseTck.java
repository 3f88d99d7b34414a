package dev.gevent.tck.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link Transport#close}: every operation pending on the socket fails with
 * {@link AsynchronousCloseException}, from within {@code close} itself, once; closing twice is
 * harmless; the peer sees the end of the stream.
 */
public class TransportCloseTck extends LoopTck {
    @Test
    void closeFailsAPendingReadAndAPendingAccept() throws IOException {
        SocketHandle listener = h.listen();
        LocalPair pair = h.pair(listener);
        Recorder accept = h.recorder();
        assertNull(h.transport.accept(listener, accept));
        Recorder read = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(pair.server(), ByteBuffer.allocate(8), read));

        h.transport.close(pair.server());
        assertInstanceOf(AsynchronousCloseException.class, read.error(), "failed from within close");
        h.transport.close(listener);
        assertInstanceOf(AsynchronousCloseException.class, accept.error(), "failed from within close");
        assertEquals(0, h.loop.pendingOperations());
        assertFalse(listener.isOpen());
        assertFalse(pair.server().isOpen());

        h.transport.close(listener);
        h.loop.poll(0);
        read.assertCalledOnce();
        accept.assertCalledOnce();
    }

    @Test
    void closeFailsBothDirectionsOfOneSocket() throws IOException {
        LocalPair pair = h.pair();
        Filled filled = h.fillUntilPending(pair.client());
        Recorder read = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(pair.client(), ByteBuffer.allocate(8), read));

        h.transport.close(pair.client());
        assertInstanceOf(AsynchronousCloseException.class, read.error());
        assertInstanceOf(AsynchronousCloseException.class, filled.pending().error());
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void closeFailsAPendingReceive() throws IOException {
        SocketHandle datagram = h.transport.openDatagram(new InetSocketAddress(Harness.IPV4_LOOPBACK, 0));
        Recorder receive = h.recorder();
        assertNull(h.transport.receiveFrom(datagram, ByteBuffer.allocate(8), receive));
        h.transport.close(datagram);
        assertInstanceOf(AsynchronousCloseException.class, receive.error());
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void closeGivesThePeerEndOfStream() throws IOException {
        PeerPair p = h.peerPair();
        h.writeFully(p.socket(), "last");
        h.transport.close(p.socket());
        // A loop may finish releasing a closed socket in its next poll; a hub always polls again.
        h.loop.poll(0);
        byte[] got = p.peer().getInputStream().readAllBytes();
        assertEquals("last", new String(got, StandardCharsets.US_ASCII));
    }
}
