package dev.gevent.benchmarks.echo;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * This process's limit on open file descriptors ({@code RLIMIT_NOFILE}), read and raised with
 * {@code getrlimit}/{@code setrlimit} through the JDK's foreign function API. The JVM already
 * raises its soft limit to the hard one at start; raising the hard limit needs privilege
 * ({@code CAP_SYS_RESOURCE}), so where that is missing {@link #require} says what to do instead.
 * Child processes inherit the limit.
 */
final class FileDescriptorLimit {
    /** {@code RLIMIT_NOFILE} on Linux. */
    private static final int RLIMIT_NOFILE = 7;
    private static final StructLayout RLIMIT = MemoryLayout.structLayout(JAVA_LONG.withName("cur"), JAVA_LONG.withName("max"));
    private static final VarHandle CUR = RLIMIT.varHandle(MemoryLayout.PathElement.groupElement("cur"));
    private static final VarHandle MAX = RLIMIT.varHandle(MemoryLayout.PathElement.groupElement("max"));

    private FileDescriptorLimit() {
    }

    /** Descriptors a JVM uses besides the sockets: its jars, libraries, selector, pipes. */
    static final int SPARE = 200;

    /**
     * Makes sure this process may open {@code sockets} sockets besides its own files, raising its
     * limit if it must; otherwise prints what is missing and how to provide it, and exits with
     * status 2.
     *
     * @param sockets the sockets the program will have open at once
     * @param who the program and what it opens, for the message ("IdleConnections: 100,000 connections")
     * @return the limit now in force
     */
    static long require(long sockets, String who) {
        long needed = sockets + SPARE;
        long current = current();
        if (current >= needed) {
            return current;
        }
        String failure = raise(needed);
        if (failure == null) {
            System.err.printf(Locale.ROOT, "%s: raised the open file limit from %,d to %,d%n", who, current, needed);
            return needed;
        }
        String n = Long.toString(needed);
        System.err.println(who + " need about " + String.format(Locale.ROOT, "%,d", needed)
                + " file descriptors in this process, but its limit is " + String.format(Locale.ROOT, "%,d", current)
                + " and raising it failed (" + failure + ").");
        System.err.println("  Raising the hard limit needs root with CAP_SYS_RESOURCE, outside a container that withholds it:"
                + " run `ulimit -Hn " + n + " && ulimit -n " + n + "` (or `prlimit --pid <shell pid> --nofile=" + n + ":" + n
                + "`) in the shell first.");
        System.err.println("  The kernel allows at most fs.nr_open=" + sysctl("fs/nr_open") + " per process and fs.file-max="
                + sysctl("fs/file-max") + " in all.");
        System.err.println("  Or ask for fewer: at most about " + String.format(Locale.ROOT, "%,d", Math.max(0, current - SPARE))
                + " fit under the limit now.");
        System.exit(2);
        return current;
    }

    /** @return the soft limit, as the JVM reports it */
    static long current() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return Long.MAX_VALUE;
    }

    /** @return null if the limit is now at least {@code needed}; else why not */
    private static String raise(long needed) {
        try {
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor signature = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
            Linker.Option errno = Linker.Option.captureCallState("errno");
            MethodHandle getrlimit = linker.downcallHandle(linker.defaultLookup().find("getrlimit").orElseThrow(), signature);
            MethodHandle setrlimit = linker.downcallHandle(linker.defaultLookup().find("setrlimit").orElseThrow(), signature, errno);
            StructLayout state = Linker.Option.captureStateLayout();
            VarHandle errnoHandle = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment limit = arena.allocate(RLIMIT);
                if ((int) getrlimit.invokeExact(RLIMIT_NOFILE, limit) != 0) {
                    return "getrlimit failed";
                }
                long max = (long) MAX.get(limit, 0L);
                CUR.set(limit, 0L, needed);
                MAX.set(limit, 0L, Math.max(max, needed));
                MemorySegment captured = arena.allocate(state);
                if ((int) setrlimit.invokeExact(captured, RLIMIT_NOFILE, limit) != 0) {
                    int code = (int) errnoHandle.get(captured, 0L);
                    return "setrlimit: errno " + code + (code == 1 ? " EPERM, hard limit " + max : "");
                }
                return null;
            }
        } catch (Throwable e) {
            return "setrlimit could not be called: " + e;
        }
    }

    private static String sysctl(String name) {
        try {
            // /proc files report a size of 0, and Files.readString then reads too little
            return Files.readAllLines(Path.of("/proc/sys", name)).getFirst().trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
