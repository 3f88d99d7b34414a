package dev.gevent.backend.epoll;

import dev.gevent.backend.linux.SocketCalls;

/** The shared socket code's calls, through the jnr-ffi binding; errno is the one jnr-ffi saved. */
final class JnrSocketCalls implements SocketCalls {
    private final LibC libc;

    JnrSocketCalls(LibC libc) {
        this.libc = libc;
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return libc.socket(domain, type, protocol);
    }

    @Override
    public int bind(int fd, long address, int length) {
        return libc.bind(fd, address, length);
    }

    @Override
    public int listen(int fd, int backlog) {
        return libc.listen(fd, backlog);
    }

    @Override
    public int shutdown(int fd, int how) {
        return libc.shutdown(fd, how);
    }

    @Override
    public int close(int fd) {
        return libc.close(fd);
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int length) {
        return libc.setsockopt(fd, level, name, value, length);
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long lengthPointer) {
        return libc.getsockopt(fd, level, name, value, lengthPointer);
    }

    @Override
    public int getsockname(int fd, long address, long lengthPointer) {
        return libc.getsockname(fd, address, lengthPointer);
    }

    @Override
    public int getpeername(int fd, long address, long lengthPointer) {
        return libc.getpeername(fd, address, lengthPointer);
    }

    @Override
    public int errno() {
        return Native.errno();
    }

    @Override
    public String message(int errno) {
        String text = libc.strerror(errno);
        return text != null ? text : "errno " + errno;
    }
}
