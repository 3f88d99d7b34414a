package dev.gevent.backend.nio;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Objects;

/** Opens the non-blocking channels of the transport, of the protocol family of their address. */
final class Channels {
    private Channels() {
    }

    static ServerSocketChannel listen(SocketAddress local, int backlog, boolean reusePort) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(family(local));
        try {
            if (local instanceof InetSocketAddress) {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (reusePort) {
                if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException(
                            "SO_REUSEPORT is not supported for " + local + " on this platform");
                }
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(local, Math.max(backlog, 0));
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    static SocketChannel stream(SocketAddress remote) throws IOException {
        SocketChannel channel = SocketChannel.open(family(remote));
        try {
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    static DatagramChannel datagram(SocketAddress local) throws IOException {
        DatagramChannel channel = DatagramChannel.open(family(local));
        try {
            channel.bind(local);
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    /** Makes an accepted channel non-blocking, or closes it. */
    static SocketChannel adopt(SocketChannel accepted) throws IOException {
        try {
            accepted.configureBlocking(false);
            return accepted;
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(accepted, e);
            throw e;
        }
    }

    /**
     * The family follows the address rather than the JDK's default, so that an IPv4 socket works
     * where IPv6 is disabled and an IPv6 one is not silently dual-stack by accident of the host.
     */
    static ProtocolFamily family(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        return switch (address) {
            case UnixDomainSocketAddress _ -> StandardProtocolFamily.UNIX;
            case InetSocketAddress inet when inet.isUnresolved() -> throw new UnresolvedAddressException();
            case InetSocketAddress inet when inet.getAddress() instanceof Inet6Address -> StandardProtocolFamily.INET6;
            case InetSocketAddress inet when inet.getAddress() instanceof Inet4Address -> StandardProtocolFamily.INET;
            default -> throw new UnsupportedAddressTypeException();
        };
    }

    private static void closeAfterFailure(NetworkChannel channel, Exception cause) {
        try {
            channel.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
