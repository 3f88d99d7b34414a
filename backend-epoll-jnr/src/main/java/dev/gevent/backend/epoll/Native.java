package dev.gevent.backend.epoll;

import dev.gevent.backend.linux.Linux;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Runtime;

/**
 * Binds libc once per class loader and says whether the loop can run here. Binding with
 * {@link LibraryOption#LoadNow} resolves every symbol of {@link LibC} at once, so a missing one is
 * found by the probe rather than by the first socket call.
 */
final class Native {
    private Native() {
    }

    /** Why the loop cannot run here, or null. */
    static final String UNAVAILABLE;
    /** The bound libc; null when {@link #UNAVAILABLE} is set. */
    static final LibC LIBC;
    private static final Runtime RUNTIME;

    static {
        String why = null;
        LibC libc = null;
        Runtime runtime = null;
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            why = "epoll(7) exists only on Linux, not on " + os + "; use -Dgevent.loop=nio";
        } else if (Linux.ARCH == null) {
            why = "the epoll loop knows the Linux ABI of x86_64 and aarch64 only, not of "
                    + System.getProperty("os.arch") + "; use -Dgevent.loop=nio";
        } else {
            try {
                libc = LibraryLoader.create(LibC.class)
                        .option(LibraryOption.LoadNow, true)
                        .option(LibraryOption.SaveError, true)
                        .load("c");
                runtime = Runtime.getRuntime(libc);
                why = probe(libc, runtime);
            } catch (Throwable e) {
                why = "cannot bind libc through jnr-ffi (is jnr-ffi with its jffi native library on the class path,"
                        + " and --enable-native-access=ALL-UNNAMED given?): " + e;
            }
        }
        UNAVAILABLE = why;
        LIBC = why == null ? libc : null;
        RUNTIME = why == null ? runtime : null;
    }

    /** Opens and closes an epoll instance and an eventfd, the two things no Linux build lacks unless it is very old or restricted. */
    private static String probe(LibC libc, Runtime runtime) {
        int epfd = libc.epoll_create1(EpollAbi.EPOLL_CLOEXEC);
        if (epfd < 0) {
            return "epoll_create1 failed: " + libc.strerror(runtime.getLastError());
        }
        libc.close(epfd);
        int efd = libc.eventfd(0, Linux.EFD_CLOEXEC | Linux.EFD_NONBLOCK);
        if (efd < 0) {
            return "eventfd failed: " + libc.strerror(runtime.getLastError());
        }
        libc.close(efd);
        return null;
    }

    /** @return the errno the calling thread's last libc call left */
    static int errno() {
        return RUNTIME.getLastError();
    }

    /** @return a native-ordered direct buffer of {@code size} bytes, freed with the loop that holds it */
    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** @return the address of a direct buffer's first byte (not of its position) */
    static long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct.duplicate().clear()).address();
    }

    /** @return the address of a direct buffer's byte at its position */
    static long positionAddress(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address();
    }
}
