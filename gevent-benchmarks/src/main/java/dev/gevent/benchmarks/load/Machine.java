package dev.gevent.benchmarks.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the load generators read of the machine during a measurement: process CPU time, core busy shares (Linux /proc). */
public final class Machine {
    private Machine() {
    }

    /**
     * @return the CPU time all threads of process {@code pid} have run, in nanoseconds (the first
     *     field of each {@code /proc/PID/task/TID/schedstat}), or -1 if unknown. Nanosecond
     *     precision: a measured period of a few seconds is too short for the clock ticks of
     *     {@code /proc/PID/stat}.
     */
    public static long cpuNanos(long pid) {
        if (pid < 0) {
            return -1;
        }
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("schedstat"));
                    total += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                } catch (NoSuchFileException e) {
                    // the thread ended meanwhile; its time is lost, a negligible error
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * @return per core, the ticks spent busy and in total, from {@code /proc/stat}; empty if unknown.
     *     A process's own CPU time leaves out the softirq time in which the kernel delivers loopback
     *     packets, so the busy share of the cores the contenders are pinned to tells better which
     *     one was saturated.
     */
    public static long[][] coreTicks() {
        try {
            List<long[]> cores = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu") && Character.isDigit(line.charAt(3))) {
                    String[] f = line.trim().split("\\s+");
                    long total = 0;
                    for (int i = 1; i < f.length && i <= 8; i++) {
                        total += Long.parseLong(f[i]);
                    }
                    // idle and iowait are the 4th and 5th numbers
                    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                    cores.add(new long[] {total - idle, total});
                }
            }
            return cores.toArray(long[][]::new);
        } catch (IOException | RuntimeException e) {
            return new long[0][];
        }
    }

    /** @return "cpu0:97 cpu1:88": each core's busy percentage between two {@link #coreTicks()} */
    public static String coreBusy(long[][] before, long[][] after) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(before.length, after.length); i++) {
            long total = after[i][1] - before[i][1];
            long busy = after[i][0] - before[i][0];
            s.append(s.isEmpty() ? "" : " ").append("cpu").append(i).append(':')
                    .append(total == 0 ? "-" : Long.toString(Math.round(100.0 * busy / total)));
        }
        return s.isEmpty() ? "-" : s.toString();
    }
}
