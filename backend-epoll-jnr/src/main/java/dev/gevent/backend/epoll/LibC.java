package dev.gevent.backend.epoll;

import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions the loop calls, bound by jnr-ffi. Every memory argument is a raw address
 * ({@code intptr_t}) into a direct buffer the caller owns, so a call allocates nothing and no
 * memory is copied by the binding; {@code errno} is saved by the binding and read with
 * {@link Native#errno()}.
 */
public interface LibC {
    /** socket(2). */
    int socket(int domain, int type, int protocol);

    /** bind(2). */
    int bind(int fd, @intptr_t long address, int length);

    /** listen(2). */
    int listen(int fd, int backlog);

    /** accept4(2). */
    int accept4(int fd, @intptr_t long address, @intptr_t long lengthPointer, int flags);

    /** connect(2). */
    int connect(int fd, @intptr_t long address, int length);

    /** read(2). */
    @ssize_t long read(int fd, @intptr_t long buffer, @size_t long count);

    /** write(2). */
    @ssize_t long write(int fd, @intptr_t long buffer, @size_t long count);

    /**
     * recv(2), for stream sockets in place of read(2): the kernel goes straight to the socket,
     * without the file layer read(2) passes through (position lock, area check, notification).
     */
    @ssize_t long recv(int fd, @intptr_t long buffer, @size_t long count, int flags);

    /** send(2). */
    @ssize_t long send(int fd, @intptr_t long buffer, @size_t long count, int flags);

    /**
     * recvmsg(2), for datagrams: it gives the sender's address as recvfrom(2) would, with three
     * arguments instead of six (jnr-ffi 2.2.17 crashed the JVM 25 calling recvfrom(2) with six).
     */
    @ssize_t long recvmsg(int fd, @intptr_t long message, int flags);

    /** sendmsg(2), for datagrams, in place of sendto(2) for the same reason as {@link #recvmsg}. */
    @ssize_t long sendmsg(int fd, @intptr_t long message, int flags);

    /** shutdown(2). */
    int shutdown(int fd, int how);

    /** close(2). */
    int close(int fd);

    /** setsockopt(2). */
    int setsockopt(int fd, int level, int name, @intptr_t long value, int length);

    /** getsockopt(2). */
    int getsockopt(int fd, int level, int name, @intptr_t long value, @intptr_t long lengthPointer);

    /** getsockname(2). */
    int getsockname(int fd, @intptr_t long address, @intptr_t long lengthPointer);

    /** getpeername(2). */
    int getpeername(int fd, @intptr_t long address, @intptr_t long lengthPointer);

    /** epoll_create1(2). */
    int epoll_create1(int flags);

    /** epoll_ctl(2). */
    int epoll_ctl(int epfd, int op, int fd, @intptr_t long event);

    /** epoll_wait(2). */
    int epoll_wait(int epfd, @intptr_t long events, int maxEvents, int timeoutMillis);

    /** eventfd(2). */
    int eventfd(int initialValue, int flags);

    /** strerror(3), for exception messages. */
    String strerror(int errno);
}
