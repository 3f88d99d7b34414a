package dev.gevent.backend.iouring;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.gevent.backend.linux.SocketCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * The libc functions and system calls the loop makes, bound once through
 * {@link Linker#nativeLinker()}. Memory arguments are raw addresses of memory the caller owns, so
 * a call allocates nothing. Every call but {@link #wake} saves {@code errno} into this object's
 * capture segment ({@link Linker.Option#captureCallState}), read with {@link #errno()}: one
 * instance per thread that calls, which for a loop is its hub thread.
 *
 * <p>io_uring has no libc wrapper in glibc; its three system calls go through {@code syscall(2)},
 * a variadic function, bound with every argument as a {@code long}, which is how syscall(2) reads
 * them.
 */
final class LibC implements SocketCalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option SAVE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SHUTDOWN = bind("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SEND = bind("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = bind("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle GETSOCKNAME = bind("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle GETPEERNAME = bind("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SYSCALL2 = bindVariadic(2);
    private static final MethodHandle SYSCALL4 = bindVariadic(4);
    private static final MethodHandle SYSCALL6 = bindVariadic(6);
    /** write(2) without errno: a wake-up's write has nothing to do about a failure. */
    private static final MethodHandle WRITE = LINKER.downcallHandle(symbol("write"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(symbol("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private final MemorySegment state;

    /** @param arena where the errno capture segment lives; it must outlive every call */
    LibC(Arena arena) {
        this.state = arena.allocate(CAPTURE);
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, SAVE_ERRNO);
    }

    private static MethodHandle bindVariadic(int arguments) {
        MemoryLayout[] parameters = new MemoryLayout[arguments + 1];
        java.util.Arrays.fill(parameters, JAVA_LONG);
        return LINKER.downcallHandle(symbol("syscall"), FunctionDescriptor.of(JAVA_LONG, parameters),
                SAVE_ERRNO, Linker.Option.firstVariadicArg(1));
    }

    /** @return the errno of this object's last failed call */
    @Override
    public int errno() {
        return state.get(JAVA_INT, ERRNO_OFFSET);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(state, domain, type, protocol);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int bind(int fd, long address, int length) {
        try {
            return (int) BIND.invokeExact(state, fd, address, length);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int listen(int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(state, fd, backlog);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int shutdown(int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(state, fd, how);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    long send(int fd, long buffer, long length, int flags) {
        try {
            return (long) SEND.invokeExact(state, fd, buffer, length, flags);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, length);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long lengthPointer) {
        try {
            return (int) GETSOCKOPT.invokeExact(state, fd, level, name, value, lengthPointer);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int getsockname(int fd, long address, long lengthPointer) {
        try {
            return (int) GETSOCKNAME.invokeExact(state, fd, address, lengthPointer);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int getpeername(int fd, long address, long lengthPointer) {
        try {
            return (int) GETPEERNAME.invokeExact(state, fd, address, lengthPointer);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    int eventfd(int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(state, initial, flags);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** @return the mapping's address, or -1 (MAP_FAILED) */
    long mmap(long length, int protection, int flags, int fd, long offset) {
        try {
            return (long) MMAP.invokeExact(state, 0L, length, protection, flags, fd, offset);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    int munmap(long address, long length) {
        try {
            return (int) MUNMAP.invokeExact(state, address, length);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** io_uring_setup(2). */
    int ioUringSetup(int entries, long params) {
        try {
            return (int) (long) SYSCALL2.invokeExact(state, IoUringAbi.SYS_IO_URING_SETUP, (long) entries, params);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** io_uring_enter(2). */
    int ioUringEnter(int fd, int toSubmit, int minComplete, int flags, long argument, long argumentSize) {
        try {
            return (int) (long) SYSCALL6.invokeExact(state, IoUringAbi.SYS_IO_URING_ENTER, (long) fd, (long) toSubmit,
                    (long) minComplete, (long) flags, argument, argumentSize);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** io_uring_register(2). */
    int ioUringRegister(int fd, int opcode, long argument, int count) {
        try {
            return (int) (long) SYSCALL4.invokeExact(state, IoUringAbi.SYS_IO_URING_REGISTER, (long) fd, (long) opcode,
                    argument, (long) count);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** write(2) of 8 bytes at {@code value} to an eventfd, from any thread; errors are ignored. */
    static void wake(int fd, long value) {
        try {
            long ignored = (long) WRITE.invokeExact(fd, value, (long) Long.BYTES);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public String message(int errno) {
        return strerror(errno);
    }

    /** @return strerror(errno), the message the JDK's exceptions carry */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(1024).getString(0);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    private static IllegalStateException unexpected(Throwable e) {
        return new IllegalStateException("native call failed in the io_uring loop's binding", e);
    }
}
