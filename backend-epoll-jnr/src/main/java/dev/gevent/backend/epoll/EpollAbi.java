package dev.gevent.backend.epoll;

import dev.gevent.backend.linux.Linux;

/**
 * The epoll(7) ABI constants, on top of the generic ones in {@link Linux}. They are those of the
 * generic kernel headers, which x86_64 and aarch64 share; only {@code struct epoll_event} differs
 * (packed on x86_64).
 */
final class EpollAbi {
    private EpollAbi() {
    }

    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;

    /** sizeof(struct epoll_event): packed (12) on x86_64, naturally aligned (16) elsewhere. */
    static final int EPOLL_EVENT_SIZE = "x86_64".equals(Linux.ARCH) ? 12 : 16;
    /** offsetof(struct epoll_event, data). */
    static final int EPOLL_DATA_OFFSET = "x86_64".equals(Linux.ARCH) ? 4 : 8;
}
