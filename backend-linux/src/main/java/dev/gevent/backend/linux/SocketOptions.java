package dev.gevent.backend.linux;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.Enumeration;
import java.util.Set;

/**
 * Maps {@link StandardSocketOptions} to setsockopt(2) levels and names, and decides which apply to
 * a socket as the JDK's channels do: a stream socket has TCP and IP options only on IPv4 and IPv6,
 * a listener only its receive buffer and reuse options, a datagram socket its broadcast and
 * multicast options. Asking for another is an {@link UnsupportedOperationException}.
 */
final class SocketOptions {
    private SocketOptions() {
    }

    private static final Set<SocketOption<?>> INET_STREAM = Set.of(
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_KEEPALIVE,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_LINGER,
            StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.IP_TOS);
    private static final Set<SocketOption<?>> UNIX_STREAM = Set.of(
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_LINGER);
    private static final Set<SocketOption<?>> INET_LISTENER = Set.of(
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT);
    private static final Set<SocketOption<?>> UNIX_LISTENER = Set.of(StandardSocketOptions.SO_RCVBUF);
    private static final Set<SocketOption<?>> DATAGRAM = Set.of(
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS,
            StandardSocketOptions.IP_MULTICAST_IF, StandardSocketOptions.IP_MULTICAST_TTL,
            StandardSocketOptions.IP_MULTICAST_LOOP);

    /**
     * Sets an option.
     *
     * @throws UnsupportedOperationException if it does not apply to the socket
     * @throws IllegalArgumentException if the value is out of range, as the JDK checks it
     * @throws IOException if setsockopt fails
     */
    static <T> void set(LinuxSocket socket, SocketOption<T> option, T value, LinuxSockets sockets) throws IOException {
        requireSupported(socket, option);
        if (value == null || !option.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "'");
        }
        ByteBuffer v = sockets.option;
        int length = Integer.BYTES;
        if (option == StandardSocketOptions.SO_LINGER) {
            int linger = (Integer) value;
            v.putInt(0, linger < 0 ? 0 : 1).putInt(4, Math.min(Math.max(linger, 0), 65535));
            length = 2 * Integer.BYTES;
        } else if (option == StandardSocketOptions.IP_MULTICAST_IF) {
            length = multicastInterface(socket, (NetworkInterface) value, v);
        } else if (value instanceof Boolean b) {
            v.putInt(0, b ? 1 : 0);
        } else {
            int n = (Integer) value;
            checkRange(option, n);
            v.putInt(0, n);
        }
        int level = level(socket, option);
        SocketCalls calls = sockets.calls;
        if (calls.setsockopt(socket.fd, level, name(socket, option), sockets.optionPointer, length) < 0) {
            throw calls.socketError(calls.errno());
        }
        if (option == StandardSocketOptions.SO_LINGER) {
            socket.linger = Math.min((Integer) value, 65535);
        }
    }

    /**
     * Reads an option.
     *
     * @throws UnsupportedOperationException if it does not apply to the socket
     * @throws IOException if getsockopt fails
     */
    @SuppressWarnings("unchecked")
    static <T> T get(LinuxSocket socket, SocketOption<T> option, LinuxSockets sockets) throws IOException {
        requireSupported(socket, option);
        ByteBuffer v = sockets.option;
        v.putLong(0, 0).putLong(8, 0);
        sockets.length.putInt(0, v.capacity());
        SocketCalls calls = sockets.calls;
        if (calls.getsockopt(socket.fd, level(socket, option), name(socket, option),
                sockets.optionPointer, sockets.lengthPointer) < 0) {
            throw calls.socketError(calls.errno());
        }
        Object result;
        if (option == StandardSocketOptions.SO_LINGER) {
            result = v.getInt(0) == 0 ? -1 : v.getInt(4);
        } else if (option == StandardSocketOptions.IP_MULTICAST_IF) {
            result = readMulticastInterface(socket, v);
        } else if (option.type() == Boolean.class) {
            result = v.getInt(0) != 0;
        } else if (option == StandardSocketOptions.IP_MULTICAST_TTL && socket.family == Linux.AF_INET
                && sockets.length.getInt(0) == 1) {
            result = v.get(0) & 0xff;
        } else {
            result = v.getInt(0);
        }
        return (T) result;
    }

    private static void requireSupported(LinuxSocket socket, SocketOption<?> option) {
        boolean unix = socket.family == Linux.AF_UNIX;
        Set<SocketOption<?>> supported = switch (socket.kind) {
            case STREAM -> unix ? UNIX_STREAM : INET_STREAM;
            case LISTENER -> unix ? UNIX_LISTENER : INET_LISTENER;
            case DATAGRAM -> DATAGRAM;
        };
        if (!supported.contains(option)) {
            throw new UnsupportedOperationException("'" + option + "' not supported");
        }
    }

    private static void checkRange(SocketOption<?> option, int n) {
        if ((option == StandardSocketOptions.SO_SNDBUF || option == StandardSocketOptions.SO_RCVBUF) && n < 0) {
            throw new IllegalArgumentException("Invalid " + option + " value: " + n);
        }
        if ((option == StandardSocketOptions.IP_TOS || option == StandardSocketOptions.IP_MULTICAST_TTL)
                && (n < 0 || n > 255)) {
            throw new IllegalArgumentException("Invalid " + option + " value: " + n);
        }
    }

    private static int level(LinuxSocket socket, SocketOption<?> option) {
        if (option == StandardSocketOptions.TCP_NODELAY) {
            return Linux.IPPROTO_TCP;
        }
        if (option == StandardSocketOptions.IP_TOS || option == StandardSocketOptions.IP_MULTICAST_IF
                || option == StandardSocketOptions.IP_MULTICAST_TTL || option == StandardSocketOptions.IP_MULTICAST_LOOP) {
            return socket.family == Linux.AF_INET6 ? Linux.IPPROTO_IPV6 : Linux.IPPROTO_IP;
        }
        return Linux.SOL_SOCKET;
    }

    private static int name(LinuxSocket socket, SocketOption<?> option) {
        boolean v6 = socket.family == Linux.AF_INET6;
        if (option == StandardSocketOptions.SO_REUSEADDR) {
            return Linux.SO_REUSEADDR;
        } else if (option == StandardSocketOptions.SO_REUSEPORT) {
            return Linux.SO_REUSEPORT;
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            return Linux.SO_KEEPALIVE;
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            return Linux.SO_SNDBUF;
        } else if (option == StandardSocketOptions.SO_RCVBUF) {
            return Linux.SO_RCVBUF;
        } else if (option == StandardSocketOptions.SO_LINGER) {
            return Linux.SO_LINGER;
        } else if (option == StandardSocketOptions.SO_BROADCAST) {
            return Linux.SO_BROADCAST;
        } else if (option == StandardSocketOptions.TCP_NODELAY) {
            return Linux.TCP_NODELAY;
        } else if (option == StandardSocketOptions.IP_TOS) {
            return v6 ? Linux.IPV6_TCLASS : Linux.IP_TOS;
        } else if (option == StandardSocketOptions.IP_MULTICAST_IF) {
            return v6 ? Linux.IPV6_MULTICAST_IF : Linux.IP_MULTICAST_IF;
        } else if (option == StandardSocketOptions.IP_MULTICAST_TTL) {
            return v6 ? Linux.IPV6_MULTICAST_HOPS : Linux.IP_MULTICAST_TTL;
        } else if (option == StandardSocketOptions.IP_MULTICAST_LOOP) {
            return v6 ? Linux.IPV6_MULTICAST_LOOP : Linux.IP_MULTICAST_LOOP;
        }
        throw new UnsupportedOperationException("'" + option + "' not supported");
    }

    /**
     * IPv6 names the interface by index; IPv4 takes a {@code struct ip_mreqn} whose index Linux
     * uses, with its own first IPv4 address for kernels that look at that.
     *
     * @return the length of the value written
     */
    private static int multicastInterface(LinuxSocket socket, NetworkInterface nif, ByteBuffer v) {
        v.putLong(0, 0).putLong(8, 0);
        if (socket.family == Linux.AF_INET6) {
            v.putInt(0, nif.getIndex());
            return Integer.BYTES;
        }
        for (Enumeration<InetAddress> e = nif.getInetAddresses(); e.hasMoreElements(); ) {
            if (e.nextElement() instanceof Inet4Address a) {
                v.put(4, a.getAddress());
                break;
            }
        }
        v.putInt(8, nif.getIndex());
        return 12;
    }

    private static NetworkInterface readMulticastInterface(LinuxSocket socket, ByteBuffer v) throws IOException {
        if (socket.family == Linux.AF_INET6) {
            int index = v.getInt(0);
            return index == 0 ? null : NetworkInterface.getByIndex(index);
        }
        byte[] ip = new byte[4];
        v.get(0, ip);
        InetAddress address = InetAddress.getByAddress(ip);
        return address.isAnyLocalAddress() ? null : NetworkInterface.getByInetAddress(address);
    }
}
