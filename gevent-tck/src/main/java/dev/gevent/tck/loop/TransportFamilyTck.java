package dev.gevent.tck.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The address families a {@link Transport} serves besides IPv4: IPv6 and Unix domain sockets. */
public class TransportFamilyTck extends LoopTck {
    @Test
    void ipv6LoopbackStreamRoundTrip() throws IOException {
        InetAddress v6 = ipv6Loopback();
        SocketHandle listener = h.transport.listen(new InetSocketAddress(v6, 0), 0, false);
        InetSocketAddress address = h.localInet(listener);
        assertInstanceOf(Inet6Address.class, address.getAddress());
        LocalPair pair = h.pair(listener);
        roundTrip(pair);
        assertEquals(address, h.transport.remoteAddress(pair.client()));
    }

    @Test
    void ipv6LoopbackDatagramRoundTrip() throws IOException {
        InetSocketAddress any = new InetSocketAddress(ipv6Loopback(), 0);
        SocketHandle a = h.transport.openDatagram(any);
        SocketHandle b = h.transport.openDatagram(any);
        h.send(a, "six", h.localInet(b));
        ByteBuffer dst = ByteBuffer.allocate(8);
        assertEquals(h.localInet(a), h.receive(b, dst));
        assertEquals("six", Bytes.text(dst.flip()));
    }

    @Test
    void unixDomainStreamRoundTrip(@TempDir Path dir) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("tck.sock"));
        SocketHandle listener = h.transport.listen(address, 0, false);
        assertEquals(address, h.transport.localAddress(listener));
        SocketHandle client = h.transport.openStream(address);
        Recorder accept = h.recorder();
        SocketHandle accepted = h.transport.accept(listener, accept);
        h.connect(client, address);
        if (accepted == null) {
            h.await(accept);
            accepted = Harness.acceptedBy(accept);
        }
        roundTrip(new LocalPair(client, accepted));
        SocketAddress peer = h.transport.remoteAddress(client);
        assertEquals(address, peer, "the client's peer is the listener's path");
        h.transport.close(client);
        h.transport.close(accepted);
        h.transport.close(listener);
    }

    private void roundTrip(LocalPair pair) throws IOException {
        h.writeFully(pair.client(), "ping");
        assertEquals("ping", h.readExactly(pair.server(), 4));
        h.writeFully(pair.server(), "pong");
        assertEquals("pong", h.readExactly(pair.client(), 4));
        h.transport.shutdown(pair.client(), false, true);
        assertEquals(-1, h.read(pair.server(), ByteBuffer.allocate(4)));
    }

    /** @return ::1, or skips the test where the host has no IPv6 loopback */
    private static InetAddress ipv6Loopback() {
        InetAddress v6 = Harness.loopback("::1");
        boolean configured;
        try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
            configured = probe.isBound();
        } catch (IOException e) {
            configured = false;
        }
        assumeTrue(configured, "::1 is not configured on this host");
        assertTrue(v6.isLoopbackAddress());
        return v6;
    }
}
