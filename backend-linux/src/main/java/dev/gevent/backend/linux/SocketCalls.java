package dev.gevent.backend.linux;

import java.io.IOException;

/**
 * The raw libc calls the shared socket code makes, which a backend's binding implements (jnr-ffi,
 * {@code java.lang.foreign}, or another FFI). Every memory argument is the address of native memory
 * the caller owns; a call returns what libc returns, and a failed one leaves its errno for
 * {@link #errno()} on the calling thread.
 *
 * <p>These are the setup calls (socket creation, options, addresses, shutdown, close); a backend's
 * hot paths call its binding directly.
 */
public interface SocketCalls {
    /** socket(2). */
    int socket(int domain, int type, int protocol);

    /** bind(2). */
    int bind(int fd, long address, int length);

    /** listen(2). */
    int listen(int fd, int backlog);

    /** shutdown(2). */
    int shutdown(int fd, int how);

    /** close(2). */
    int close(int fd);

    /** setsockopt(2). */
    int setsockopt(int fd, int level, int name, long value, int length);

    /** getsockopt(2). */
    int getsockopt(int fd, int level, int name, long value, long lengthPointer);

    /** getsockname(2). */
    int getsockname(int fd, long address, long lengthPointer);

    /** getpeername(2). */
    int getpeername(int fd, long address, long lengthPointer);

    /** @return the errno of the last failed call on this thread */
    int errno();

    /** @return strerror(errno), the message the JDK's exceptions carry; never null */
    String message(int errno);

    /** @return {@link Errno#socket} for {@code errno}, with its message */
    default IOException socketError(int errno) {
        return Errno.socket(errno, message(errno));
    }

    /** @return {@link Errno#stream} for {@code errno}, with its message */
    default IOException streamError(int errno) {
        return Errno.stream(errno, message(errno));
    }
}
