package dev.gevent.backend.linux;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Encodes and decodes {@code sockaddr_in}, {@code sockaddr_in6} and {@code sockaddr_un} in a
 * native-ordered direct buffer of {@link Linux#SOCKADDR_STORAGE} bytes (a loop's
 * {@link LinuxSockets#address}, or a socket's own for an operation the kernel reads later). Ports
 * are in network order, the family in host order. Static and allocation-free but for the decoded
 * address, so a backend may call it on its datagram paths.
 */
public final class SockAddr {
    private SockAddr() {
    }

    private static final int SUN_PATH_OFFSET = 2;
    private static final int SUN_PATH_SIZE = 108;
    /** File names are bytes in the encoding the JDK uses for them. */
    private static final Charset PATH_CHARSET = pathCharset();

    /**
     * The family follows the address rather than the host's preference, so that an IPv4 socket
     * works where IPv6 is disabled and an IPv6 one is not dual-stack by accident.
     *
     * @return AF_INET, AF_INET6 or AF_UNIX
     * @throws UnresolvedAddressException for an unresolved address
     * @throws UnsupportedAddressTypeException for any other kind of address
     */
    public static int family(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        return switch (address) {
            case UnixDomainSocketAddress _ -> Linux.AF_UNIX;
            case InetSocketAddress inet when inet.isUnresolved() -> throw new UnresolvedAddressException();
            case InetSocketAddress inet when inet.getAddress() instanceof Inet6Address -> Linux.AF_INET6;
            case InetSocketAddress inet when inet.getAddress() instanceof Inet4Address -> Linux.AF_INET;
            default -> throw new UnsupportedAddressTypeException();
        };
    }

    /**
     * Writes {@code address} for a socket of {@code socketFamily}: an IPv4 address for an IPv6
     * socket becomes IPv4-mapped, as the JDK's dual-stack sockets do.
     *
     * @return the length to pass with it
     * @throws UnsupportedAddressTypeException if the address cannot be used with such a socket
     * @throws SocketException if a Unix domain path is too long
     */
    public static int encode(SocketAddress address, int socketFamily, ByteBuffer b) throws SocketException {
        int family = family(address);
        for (int i = 0; i < Linux.SOCKADDR_STORAGE; i += Long.BYTES) {
            b.putLong(i, 0);
        }
        if (family == Linux.AF_UNIX) {
            if (socketFamily != Linux.AF_UNIX) {
                throw new UnsupportedAddressTypeException();
            }
            byte[] path = ((UnixDomainSocketAddress) address).getPath().toString().getBytes(PATH_CHARSET);
            if (path.length >= SUN_PATH_SIZE) {
                throw new SocketException("Unix domain path too long");
            }
            b.putShort(0, (short) Linux.AF_UNIX);
            b.put(SUN_PATH_OFFSET, path);
            // An empty path is the unnamed address (autobind); otherwise the length counts the NUL.
            return path.length == 0 ? SUN_PATH_OFFSET : SUN_PATH_OFFSET + path.length + 1;
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        int port = inet.getPort();
        byte[] ip = inet.getAddress().getAddress();
        if (socketFamily == Linux.AF_INET) {
            if (family != Linux.AF_INET) {
                throw new UnsupportedAddressTypeException();
            }
            b.putShort(0, (short) Linux.AF_INET);
            putPort(b, port);
            b.put(4, ip);
            return 16;
        }
        if (socketFamily != Linux.AF_INET6) {
            throw new UnsupportedAddressTypeException();
        }
        b.putShort(0, (short) Linux.AF_INET6);
        putPort(b, port);
        if (ip.length == 4) {
            b.put(18, (byte) 0xff).put(19, (byte) 0xff).put(20, ip);
        } else {
            b.put(8, ip);
            b.putInt(24, ((Inet6Address) inet.getAddress()).getScopeId());
        }
        return 28;
    }

    private static void putPort(ByteBuffer b, int port) {
        b.put(2, (byte) (port >>> 8)).put(3, (byte) port);
    }

    /**
     * Reads the address a call left in {@code b}, {@code length} bytes long.
     *
     * @return the address; an unnamed Unix domain socket gives the empty path, as the JDK does
     */
    public static SocketAddress decode(ByteBuffer b, int length) throws SocketException {
        int family = length < 2 ? Linux.AF_UNIX : b.getShort(0);
        try {
            return switch (family) {
                case Linux.AF_INET -> {
                    byte[] ip = new byte[4];
                    b.get(4, ip);
                    yield new InetSocketAddress(InetAddress.getByAddress(ip), port(b));
                }
                case Linux.AF_INET6 -> {
                    byte[] ip = new byte[16];
                    b.get(8, ip);
                    int scope = b.getInt(24);
                    InetAddress address = scope != 0 && !isIpv4Mapped(ip)
                            ? Inet6Address.getByAddress(null, ip, scope)
                            : InetAddress.getByAddress(ip);
                    yield new InetSocketAddress(address, port(b));
                }
                case Linux.AF_UNIX -> {
                    int n = Math.max(0, Math.min(length - SUN_PATH_OFFSET, SUN_PATH_SIZE));
                    int end = 0;
                    while (end < n && b.get(SUN_PATH_OFFSET + end) != 0) {
                        end++;
                    }
                    byte[] path = new byte[end];
                    b.get(SUN_PATH_OFFSET, path);
                    yield UnixDomainSocketAddress.of(new String(path, PATH_CHARSET));
                }
                default -> throw new SocketException("unknown address family " + family);
            };
        } catch (UnknownHostException e) {
            throw new SocketException("malformed address: " + e.getMessage());
        }
    }

    private static boolean isIpv4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    private static int port(ByteBuffer b) {
        return (b.get(2) & 0xff) << 8 | b.get(3) & 0xff;
    }

    private static Charset pathCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding"), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
