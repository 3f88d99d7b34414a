package dev.gevent.backend.iouring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.gevent.backend.linux.Linux;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Says once per class loader whether the loop can run here, and if not, why, in words an operator
 * can act on: by setting up a small io_uring instance, checking the features the loop relies on and
 * asking the kernel which operations it has ({@code IORING_REGISTER_PROBE}).
 */
final class Availability {
    private Availability() {
    }

    private static final String FALLBACK = "; use -Dgevent.loop=epoll or nio";
    private static final byte[] OPS = {IoUringAbi.OP_ACCEPT, IoUringAbi.OP_CONNECT, IoUringAbi.OP_RECV, IoUringAbi.OP_SEND,
        IoUringAbi.OP_SENDMSG, IoUringAbi.OP_RECVMSG, IoUringAbi.OP_ASYNC_CANCEL, IoUringAbi.OP_READ};
    private static final String[] OP_NAMES = {"ACCEPT", "CONNECT", "RECV", "SEND", "SENDMSG", "RECVMSG",
        "ASYNC_CANCEL", "READ"};

    /** Why the loop cannot run here, or null. */
    static final String UNAVAILABLE = probe();

    private static String probe() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "io_uring(7) exists only on Linux, not on " + os + FALLBACK;
        }
        if (Linux.ARCH == null) {
            return "the io_uring loop knows the Linux ABI of x86_64 and aarch64 only, not of "
                    + System.getProperty("os.arch") + FALLBACK;
        }
        try (Arena arena = Arena.ofConfined()) {
            LibC libc = new LibC(arena);
            Ring ring;
            try {
                ring = new Ring(libc, arena, 4, 8);
            } catch (Ring.RingSetupException e) {
                return setupFailure(e);
            }
            try {
                return check(libc, arena, ring);
            } finally {
                ring.close();
            }
        } catch (Throwable e) {
            return "cannot call the kernel through java.lang.foreign (is --enable-native-access=ALL-UNNAMED given?): "
                    + e;
        }
    }

    private static String setupFailure(Ring.RingSetupException e) {
        return switch (e.errno) {
            case Linux.ENOSYS -> "io_uring_setup failed: ENOSYS: this kernel (" + kernel()
                    + ") has no io_uring (Linux 5.19 or later, built with CONFIG_IO_URING)" + FALLBACK;
            case Linux.EPERM -> "io_uring_setup failed: EPERM: " + permissionReason() + FALLBACK;
            case Linux.ENOMEM -> "io_uring_setup failed: ENOMEM: the rings cannot be allocated; kernels before 5.12"
                    + " charge them to RLIMIT_MEMLOCK (ulimit -l)" + FALLBACK;
            default -> e.getMessage() + FALLBACK;
        };
    }

    private static String permissionReason() {
        String disabled = sysctl("kernel/io_uring_disabled");
        if ("2".equals(disabled)) {
            return "io_uring is disabled for every process (kernel.io_uring_disabled=2)";
        }
        if ("1".equals(disabled)) {
            return "io_uring is disabled for processes outside kernel.io_uring_group (kernel.io_uring_disabled=1)";
        }
        return "io_uring is refused to this process, most likely by a seccomp filter (containers' default profiles"
                + " block it)";
    }

    private static String check(LibC libc, Arena arena, Ring ring) {
        List<String> missing = new ArrayList<>();
        if ((ring.features & IoUringAbi.FEAT_NODROP) == 0) {
            missing.add("IORING_FEAT_NODROP");
        }
        if ((ring.features & IoUringAbi.FEAT_SUBMIT_STABLE) == 0) {
            missing.add("IORING_FEAT_SUBMIT_STABLE");
        }
        if ((ring.features & IoUringAbi.FEAT_FAST_POLL) == 0) {
            missing.add("IORING_FEAT_FAST_POLL");
        }
        if ((ring.features & IoUringAbi.FEAT_EXT_ARG) == 0) {
            missing.add("IORING_FEAT_EXT_ARG");
        }
        int count = 256;
        MemorySegment probe = arena.allocate(IoUringAbi.PROBE_HEADER + (long) count * IoUringAbi.PROBE_OP_SIZE, 8);
        if (libc.ioUringRegister(ring.fd, IoUringAbi.REGISTER_PROBE, probe.address(), count) < 0) {
            missing.add("IORING_REGISTER_PROBE (" + LibC.strerror(libc.errno()) + ")");
        } else {
            int last = probe.get(JAVA_BYTE, 0) & 0xff;
            for (int i = 0; i < OPS.length; i++) {
                int op = OPS[i];
                long at = IoUringAbi.PROBE_HEADER + (long) op * IoUringAbi.PROBE_OP_SIZE + IoUringAbi.PROBE_OP_FLAGS;
                if (op > last || (probe.get(JAVA_SHORT, at) & IoUringAbi.PROBE_OP_SUPPORTED) == 0) {
                    missing.add("IORING_OP_" + OP_NAMES[i]);
                }
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        return "this kernel's io_uring (" + kernel() + ") lacks " + String.join(", ", missing)
                + " (the loop needs Linux 5.19 or later)" + FALLBACK;
    }

    private static String kernel() {
        String release = sysctl("kernel/osrelease");
        return release != null ? "Linux " + release : "Linux " + System.getProperty("os.version");
    }

    private static String sysctl(String name) {
        try {
            return Files.readString(Path.of("/proc/sys", name)).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
