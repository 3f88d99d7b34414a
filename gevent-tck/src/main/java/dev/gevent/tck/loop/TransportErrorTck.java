package dev.gevent.tck.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/**
 * How a {@link Transport} fails: with the exception types of the JDK's socket channels, whether
 * the failure is found at once or while the operation is pending.
 */
public class TransportErrorTck extends LoopTck {
    @Test
    void refusedConnectionIsConnectException() throws IOException {
        SocketHandle listener = h.listen();
        InetSocketAddress address = h.localInet(listener);
        h.transport.close(listener);
        SocketHandle socket = h.transport.openStream(address);
        IOException e = h.failure(r -> h.transport.connect(socket, address, r));
        assertInstanceOf(ConnectException.class, e);
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void addressInUseIsBindException() throws IOException {
        SocketHandle listener = h.listen();
        InetSocketAddress address = h.localInet(listener);
        assertThrows(BindException.class, () -> h.transport.listen(address, 0, false));
        try (ServerSocket other = new ServerSocket(0, 50, Harness.IPV4_LOOPBACK)) {
            assertThrows(BindException.class,
                    () -> h.transport.listen(other.getLocalSocketAddress(), 0, false));
        }
    }

    @Test
    void resetByThePeerIsSocketException() throws IOException {
        PeerPair p = h.peerPair();
        Recorder r = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(p.socket(), ByteBuffer.allocate(8), r));
        p.peer().setSoLinger(true, 0);
        p.peer().close();
        h.await(r);
        assertInstanceOf(SocketException.class, r.error());
    }

    @Test
    void writingToAClosedPeerFailsWithIOException() throws IOException {
        PeerPair p = h.peerPair();
        p.peer().close();
        ByteBuffer chunk = ByteBuffer.allocate(1024);
        IOException failure = null;
        while (failure == null) {
            Harness.requireTimeLeft();
            chunk.clear();
            failure = h.failureOrNull(r -> h.transport.write(p.socket(), chunk, r));
        }
        assertEquals(0, h.loop.pendingOperations());
        h.transport.close(p.socket());
        h.loop.poll(0);
    }

    @Test
    void operationsOnAClosedStreamSocketThrowClosedChannelException() throws IOException {
        LocalPair pair = h.pair();
        SocketHandle s = pair.client();
        h.transport.close(s);
        h.transport.close(s);
        assertFalse(s.isOpen());
        assertThrows(ClosedChannelException.class, () -> h.transport.read(s, ByteBuffer.allocate(8), h.recorder()));
        assertThrows(ClosedChannelException.class, () -> h.transport.write(s, ByteBuffer.allocate(8), h.recorder()));
        assertThrows(ClosedChannelException.class, () -> h.transport.shutdown(s, true, true));
        assertFalse(h.transport.cancel(s, h.recorder()), "nothing is pending on a closed socket");

        SocketHandle fresh = h.transport.openStream(h.localInet(pair.server()));
        h.transport.close(fresh);
        assertThrows(ClosedChannelException.class,
                () -> h.transport.connect(fresh, h.localInet(pair.server()), h.recorder()));
    }

    @Test
    void operationsOnAClosedListenerOrDatagramSocketThrowClosedChannelException() throws IOException {
        SocketHandle listener = h.listen();
        h.transport.close(listener);
        assertThrows(ClosedChannelException.class, () -> h.transport.accept(listener, h.recorder()));

        SocketHandle datagram = h.transport.openDatagram(new InetSocketAddress(Harness.IPV4_LOOPBACK, 0));
        InetSocketAddress self = h.localInet(datagram);
        h.transport.close(datagram);
        assertThrows(ClosedChannelException.class,
                () -> h.transport.sendTo(datagram, Bytes.of("x"), self, h.recorder()));
        assertThrows(ClosedChannelException.class,
                () -> h.transport.receiveFrom(datagram, ByteBuffer.allocate(8), h.recorder()));
    }
}
