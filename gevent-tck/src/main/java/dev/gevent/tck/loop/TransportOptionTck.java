package dev.gevent.tck.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import org.junit.jupiter.api.Test;

/** Socket options and addresses through a {@link Transport}. */
public class TransportOptionTck extends LoopTck {
    @Test
    void tcpNoDelayIsSetAndRead() throws IOException {
        LocalPair pair = h.pair();
        h.transport.setOption(pair.client(), StandardSocketOptions.TCP_NODELAY, true);
        assertTrue(h.transport.getOption(pair.client(), StandardSocketOptions.TCP_NODELAY));
        h.transport.setOption(pair.client(), StandardSocketOptions.TCP_NODELAY, false);
        assertFalse(h.transport.getOption(pair.client(), StandardSocketOptions.TCP_NODELAY));
    }

    @Test
    void receiveBufferIsSetAndRead() throws IOException {
        LocalPair pair = h.pair();
        h.transport.setOption(pair.server(), StandardSocketOptions.SO_RCVBUF, 4096);
        int size = h.transport.getOption(pair.server(), StandardSocketOptions.SO_RCVBUF);
        // Kernels may round the size up (Linux doubles it), never below what was asked.
        assertTrue(size >= 4096, () -> "SO_RCVBUF is " + size + " after setting 4096");
    }

    @Test
    void optionThatDoesNotApplyIsUnsupported() throws IOException {
        SocketHandle datagram = h.transport.openDatagram(new InetSocketAddress(Harness.IPV4_LOOPBACK, 0));
        assertThrows(UnsupportedOperationException.class,
                () -> h.transport.setOption(datagram, StandardSocketOptions.TCP_NODELAY, true));
    }

    @Test
    void streamAddresses() throws IOException {
        SocketHandle listener = h.listen();
        InetSocketAddress listening = h.localInet(listener);
        assertEquals(Harness.IPV4_LOOPBACK, listening.getAddress());
        assertTrue(listening.getPort() > 0, "bound to an ephemeral port");
        assertNull(h.transport.remoteAddress(listener), "a listener has no peer");

        SocketHandle unconnected = h.transport.openStream(listening);
        assertNull(h.transport.remoteAddress(unconnected), "not connected yet");
        assertNull(h.transport.localAddress(unconnected), "not bound yet");
        h.transport.close(unconnected);

        LocalPair pair = h.pair(listener);
        assertEquals(listening, h.transport.remoteAddress(pair.client()));
        assertEquals(listening, h.transport.localAddress(pair.server()));
        assertEquals(h.transport.localAddress(pair.client()), h.transport.remoteAddress(pair.server()));
    }

    @Test
    void reusePortLetsTwoListenersShareAPort() throws IOException {
        InetSocketAddress any = new InetSocketAddress(Harness.IPV4_LOOPBACK, 0);
        SocketHandle first;
        try {
            first = h.transport.listen(any, 0, true);
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "SO_REUSEPORT is not supported here: " + e.getMessage());
            return;
        }
        assertTrue(h.transport.getOption(first, StandardSocketOptions.SO_REUSEPORT));
        SocketHandle second = h.transport.listen(h.localInet(first), 0, true);
        assertEquals(h.localInet(first), h.localInet(second));
    }
}
