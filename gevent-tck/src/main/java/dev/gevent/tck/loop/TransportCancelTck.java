package dev.gevent.tck.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link Transport#cancel}: a withdrawn operation leaves nothing pending, its completion is never
 * called even when what it waited for arrives, and its direction is free for the next operation,
 * which gets what arrived.
 */
public class TransportCancelTck extends LoopTck {
    @Test
    void cancelledReadIsNeverCompleted() throws IOException {
        LocalPair pair = h.pair();
        Recorder cancelled = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(pair.server(), ByteBuffer.allocate(8), cancelled));
        assertTrue(h.transport.cancel(pair.server(), cancelled));
        assertEquals(0, h.loop.pendingOperations());
        assertFalse(h.transport.cancel(pair.server(), cancelled), "a second cancel finds nothing pending");

        h.writeFully(pair.client(), "data");
        assertEquals("data", h.readExactly(pair.server(), 4), "the next read gets what arrived");
        h.loop.poll(0);
        cancelled.assertNotCalled();
    }

    @Test
    void readCancelledAfterItsDataArrivedLosesNothing() throws Exception {
        PeerPair p = h.peerPair();
        for (ByteBuffer dst : new ByteBuffer[] {ByteBuffer.allocate(8), ByteBuffer.allocateDirect(8)}) {
            Recorder cancelled = h.recorder();
            assertEquals(Transport.PENDING, h.transport.read(p.socket(), dst, cancelled));
            // The data is in the kernel before the cancel: a completion loop may already have read
            // it into the operation's buffer, and must hand it to the next read all the same.
            OutputStream out = p.peer().getOutputStream();
            out.write("late".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(h.transport.cancel(p.socket(), cancelled));
            assertEquals(0, h.loop.pendingOperations());
            assertEquals("late", h.readExactly(p.socket(), 4), "the next read gets the bytes, none lost");
            h.loop.poll(0);
            cancelled.assertNotCalled();
        }
    }

    @Test
    void cancelledAcceptIsNeverCompleted() throws IOException {
        SocketHandle listener = h.listen();
        Recorder cancelled = h.recorder();
        assertNull(h.transport.accept(listener, cancelled));
        assertTrue(h.transport.cancel(listener, cancelled));
        assertEquals(0, h.loop.pendingOperations());

        Socket client = h.closeAtEnd(new Socket());
        client.connect(h.localInet(listener));
        SocketHandle accepted = h.accept(listener);
        assertEquals(client.getLocalSocketAddress(), h.transport.remoteAddress(accepted));
        h.loop.poll(0);
        cancelled.assertNotCalled();
    }

    @Test
    void cancelledWriteIsNeverCompleted() throws Exception {
        PeerPair p = h.peerPair();
        Filled filled = h.fillUntilPending(p.socket());
        assertTrue(h.transport.cancel(p.socket(), filled.pending()));
        assertEquals(0, h.loop.pendingOperations());

        Background<Long> reader = Background.start("drain", () -> p.peer().getInputStream().transferTo(OutputStream.nullOutputStream()));
        ByteBuffer more = ByteBuffer.allocate(1024);
        h.writeFully(p.socket(), more);
        h.transport.shutdown(p.socket(), false, true);
        assertEquals(filled.writtenAtOnce() + 1024, h.join(reader), "bytes the peer received");
        h.loop.poll(0);
        filled.pending().assertNotCalled();
    }

    @Test
    void cancelledReceiveIsNeverCompleted() throws IOException {
        InetSocketAddress any = new InetSocketAddress(Harness.IPV4_LOOPBACK, 0);
        SocketHandle receiver = h.transport.openDatagram(any);
        SocketHandle sender = h.transport.openDatagram(any);
        Recorder cancelled = h.recorder();
        assertNull(h.transport.receiveFrom(receiver, ByteBuffer.allocate(8), cancelled));
        assertTrue(h.transport.cancel(receiver, cancelled));
        assertEquals(0, h.loop.pendingOperations());

        h.send(sender, "dgram", h.localInet(receiver));
        ByteBuffer dst = ByteBuffer.allocate(8);
        assertEquals(h.localInet(sender), h.receive(receiver, dst));
        assertEquals("dgram", Bytes.text(dst.flip()));
        h.loop.poll(0);
        cancelled.assertNotCalled();
    }

    @Test
    void cancelOfACompletionThatIsNotPendingReturnsFalse() throws IOException {
        LocalPair pair = h.pair();
        Recorder pending = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(pair.server(), ByteBuffer.allocate(8), pending));
        assertFalse(h.transport.cancel(pair.server(), h.recorder()), "another completion is not pending");
        assertFalse(h.transport.cancel(pair.client(), pending), "the completion is pending on another socket");
        assertEquals(1, h.loop.pendingOperations());
        h.writeFully(pair.client(), "k");
        h.await(pending);
        assertFalse(h.transport.cancel(pair.server(), pending), "a completed operation cannot be cancelled");
    }
}
