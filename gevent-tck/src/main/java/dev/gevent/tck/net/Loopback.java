package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.socket.ServerSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The loopback addresses the network TCK listens on: port 0, so the kernel picks a free port. */
final class Loopback {
    static final InetAddress IPV4 = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress IPV6 = InetAddress.ofLiteral("::1");

    private Loopback() {
    }

    /** @return a listener on 127.0.0.1 and a free port, owned by the calling hub */
    static ServerSocket listenIpv4() throws IOException {
        return ServerSocket.bind(new InetSocketAddress(IPV4, 0));
    }

    /**
     * @return a listener on ::1 and a free port, owned by the calling hub
     * @throws org.opentest4j.TestAbortedException (skips the test) where ::1 cannot be bound
     */
    static ServerSocket listenIpv6() throws IOException {
        try {
            return ServerSocket.bind(new InetSocketAddress(IPV6, 0));
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "IPv6 loopback ::1 cannot be bound here: " + e);
            throw e;
        }
    }
}
