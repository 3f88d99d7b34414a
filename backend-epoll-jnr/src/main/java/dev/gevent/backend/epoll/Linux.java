package dev.gevent.backend.epoll;

import java.util.Locale;

/**
 * The Linux ABI constants the loop uses. They are those of the generic kernel headers, which
 * x86_64 and aarch64 share; only {@code struct epoll_event} differs (packed on x86_64).
 */
final class Linux {
    private Linux() {
    }

    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;

    static final int SHUT_RD = 0;
    static final int SHUT_WR = 1;

    static final int MSG_NOSIGNAL = 0x4000;

    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_ERROR = 4;
    static final int SO_BROADCAST = 6;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_KEEPALIVE = 9;
    static final int SO_LINGER = 13;
    static final int SO_REUSEPORT = 15;

    static final int IPPROTO_IP = 0;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_IPV6 = 41;
    static final int TCP_NODELAY = 1;
    static final int IP_TOS = 1;
    static final int IP_MULTICAST_IF = 32;
    static final int IP_MULTICAST_TTL = 33;
    static final int IP_MULTICAST_LOOP = 34;
    static final int IPV6_MULTICAST_IF = 17;
    static final int IPV6_MULTICAST_HOPS = 18;
    static final int IPV6_MULTICAST_LOOP = 19;
    static final int IPV6_TCLASS = 67;

    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;

    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;

    /** The kernel caps a listen backlog at net.core.somaxconn; asking for this much takes the cap. */
    static final int SOMAXCONN = 4096;
    /** sizeof(struct sockaddr_storage). */
    static final int SOCKADDR_STORAGE = 128;

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EPIPE = 32;
    static final int EMSGSIZE = 90;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETUNREACH = 101;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int EISCONN = 106;
    static final int ENOTCONN = 107;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;
    static final int EALREADY = 114;
    static final int EINPROGRESS = 115;
    static final int EACCES = 13;

    /** The CPU architecture, or null if the loop knows none of its ABI. */
    static final String ARCH = arch();
    /** sizeof(struct epoll_event): packed (12) on x86_64, naturally aligned (16) elsewhere. */
    static final int EPOLL_EVENT_SIZE = "x86_64".equals(ARCH) ? 12 : 16;
    /** offsetof(struct epoll_event, data). */
    static final int EPOLL_DATA_OFFSET = "x86_64".equals(ARCH) ? 4 : 8;

    private static String arch() {
        return switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
    }
}
