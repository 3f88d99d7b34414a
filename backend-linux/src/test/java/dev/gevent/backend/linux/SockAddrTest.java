package dev.gevent.backend.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Encoding and decoding of socket addresses, without any socket. */
@Timeout(10)
class SockAddrTest {
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(Linux.SOCKADDR_STORAGE).order(ByteOrder.nativeOrder());

    @Test
    void ipv4RoundTrips() throws Exception {
        assertRoundTrip(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 54321), Linux.AF_INET, 16);
    }

    @Test
    void ipv6RoundTrips() throws Exception {
        assertRoundTrip(new InetSocketAddress(InetAddress.getByName("::1"), 443), Linux.AF_INET6, 28);
    }

    @Test
    void unixPathRoundTrips() throws Exception {
        assertRoundTrip(UnixDomainSocketAddress.of("/tmp/some.sock"), Linux.AF_UNIX, 2 + 14 + 1);
    }

    @Test
    void ipv4OnAnIpv6SocketIsMapped() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7);
        int length = SockAddr.encode(v4, Linux.AF_INET6, scratch);
        assertEquals(28, length);
        assertEquals(v4, SockAddr.decode(scratch, length), "a mapped address decodes as IPv4");
    }

    @Test
    void addressesThatCannotBeUsedAreRefusedAsTheJdkRefusesThem() throws Exception {
        assertThrows(UnresolvedAddressException.class,
                () -> SockAddr.encode(InetSocketAddress.createUnresolved("example.invalid", 1), Linux.AF_INET, scratch));
        assertThrows(UnsupportedAddressTypeException.class,
                () -> SockAddr.encode(new InetSocketAddress(InetAddress.getByName("::1"), 1), Linux.AF_INET, scratch));
        assertThrows(UnsupportedAddressTypeException.class, () -> SockAddr.family(new SocketAddress() { }));
    }

    private void assertRoundTrip(SocketAddress address, int family, int expectedLength) throws Exception {
        int length = SockAddr.encode(address, family, scratch);
        assertEquals(expectedLength, length);
        assertEquals(address, SockAddr.decode(scratch, length));
    }
}
