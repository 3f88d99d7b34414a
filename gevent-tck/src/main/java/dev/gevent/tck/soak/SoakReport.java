package dev.gevent.tck.soak;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What an {@link EchoSoak} did and left behind, and the {@linkplain #problems() checks} it failed:
 * any error of a client that did not reset its connection, any server-side error on such a
 * client's connection, a descriptor more open than before, a greenlet left alive, a heap more than
 * {@value #HEAP_GROWTH_PERCENT}% above its start, or no message at all.
 *
 * @param config what ran
 * @param messages the messages echoed and checked
 * @param bytes their bytes
 * @param events per kind of misbehaving client, the connections it misbehaved on
 * @param clientErrors per kind of client, what failed (the first few of each)
 * @param clientErrorCount per kind of client, how many failed
 * @param serverErrors per kind of client whose connection it was (RESET also for connections that
 *     failed before their first byte arrived, which only a reset does), how many handlers failed
 * @param serverErrorExamples the first few server-side failures, with their kind
 * @param greenletsLeft per group of hubs, the greenlets left alive after the run
 * @param fdsBefore descriptors open before the run (-1: unknown)
 * @param fdsAfter descriptors open after it
 * @param heapBefore used heap before the run, in bytes
 * @param heapAfter used heap after it
 */
public record SoakReport(SoakConfig config, long messages, long bytes, Map<Kind, Long> events,
        Map<Kind, List<String>> clientErrors, Map<Kind, Long> clientErrorCount, Map<Kind, Long> serverErrors,
        List<String> serverErrorExamples, Map<String, Integer> greenletsLeft, long fdsBefore, long fdsAfter,
        long heapBefore, long heapAfter) {
    /** The most the used heap may grow over the run. */
    public static final int HEAP_GROWTH_PERCENT = 10;
    private static final int EXAMPLES = 5;

    /** @return each check that failed, in words; empty if the run was clean */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (messages == 0) {
            problems.add("no message was echoed");
        }
        for (Kind kind : Kind.values()) {
            long failed = clientErrorCount.getOrDefault(kind, 0L);
            if (kind != Kind.RESET && failed > 0) {
                problems.add(failed + " " + kind + " client(s) failed: " + clientErrors.get(kind));
            }
            long serverFailed = serverErrors.getOrDefault(kind, 0L);
            if (kind != Kind.RESET && serverFailed > 0) {
                problems.add(serverFailed + " server handler(s) of " + kind + " connections failed: " + serverErrorExamples);
            }
        }
        greenletsLeft.forEach((hubs, n) -> {
            if (n != 0) {
                problems.add(n + " greenlet(s) left alive on the " + hubs);
            }
        });
        if (fdsBefore >= 0 && fdsAfter > fdsBefore) {
            problems.add((fdsAfter - fdsBefore) + " file descriptor(s) leaked: " + fdsBefore + " open before, " + fdsAfter + " after");
        }
        if (heapAfter > heapBefore + heapBefore * HEAP_GROWTH_PERCENT / 100) {
            problems.add(String.format(Locale.ROOT, "the used heap grew %.1f%% (from %,d to %,d bytes), more than %d%%",
                    100.0 * (heapAfter - heapBefore) / heapBefore, heapBefore, heapAfter, HEAP_GROWTH_PERCENT));
        }
        return problems;
    }

    @Override
    public String toString() {
        double seconds = config.duration().toNanos() / 1e9;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "soak: %,d connections (%.0f%% misbehaving), %.0f s, server on %d hub(s), clients on %d%n",
                config.connections(), 100 * config.misbehavingShare(), seconds, config.serverHubs(), config.clientHubs()));
        s.append(String.format(Locale.ROOT, "echoed and checked: %,d messages, %,d bytes (%,.0f msgs/s)%n", messages, bytes, messages / seconds));
        s.append("misbehaved: ").append(events).append('\n');
        s.append("client errors: ").append(clientErrorCount).append("; server handler errors by kind: ").append(serverErrors).append('\n');
        s.append("greenlets left: ").append(greenletsLeft).append('\n');
        s.append("file descriptors: ").append(fdsBefore).append(" before, ").append(fdsAfter).append(" after\n");
        s.append(String.format(Locale.ROOT, "used heap: %,d bytes before, %,d after (%+.1f%%)%n", heapBefore, heapAfter,
                100.0 * (heapAfter - heapBefore) / heapBefore));
        List<String> problems = problems();
        s.append(problems.isEmpty() ? "PASSED: no error on a well-behaved client, nothing leaked" : "FAILED: " + problems);
        s.append(String.format(Locale.ROOT, "%nRESULT connections=%d seconds=%.0f messages=%d msgs_per_s=%.0f resets=%d half_closes=%d stalls=%d"
                        + " errors=%d fds_leaked=%d greenlets_left=%d heap_growth_pct=%.1f passed=%b",
                config.connections(), seconds, messages, messages / seconds, events.getOrDefault(Kind.RESET, 0L),
                events.getOrDefault(Kind.HALF_CLOSE, 0L), events.getOrDefault(Kind.STALL, 0L),
                problems.size(), Math.max(0, fdsAfter - fdsBefore), greenletsLeft.values().stream().mapToInt(Integer::intValue).sum(),
                100.0 * (heapAfter - heapBefore) / heapBefore, problems.isEmpty()));
        return s.toString();
    }

    /** Collects a report from the run's many hubs at once. */
    static final class Builder {
        private final SoakConfig config;
        private final AtomicLong messages = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private final AtomicLongArray events = new AtomicLongArray(Kind.values().length);
        private final AtomicLongArray clientErrorCount = new AtomicLongArray(Kind.values().length);
        private final AtomicLongArray serverErrors = new AtomicLongArray(Kind.values().length);
        private final Map<Kind, Queue<String>> clientErrors = new EnumMap<>(Kind.class);
        private final Queue<String> serverErrorExamples = new ConcurrentLinkedQueue<>();
        private final Map<String, Integer> greenletsLeft = new LinkedHashMap<>();
        private long fdsBefore = -1;
        private long fdsAfter = -1;
        private long heapBefore;
        private long heapAfter;

        Builder(SoakConfig config) {
            this.config = config;
            for (Kind k : Kind.values()) {
                clientErrors.put(k, new ConcurrentLinkedQueue<>());
            }
        }

        void message(int size) {
            messages.incrementAndGet();
            bytes.addAndGet(size);
        }

        void event(Kind kind) {
            events.incrementAndGet(kind.ordinal());
        }

        void error(Kind kind, String what) {
            if (clientErrorCount.getAndIncrement(kind.ordinal()) < EXAMPLES) {
                clientErrors.get(kind).add(what);
            }
        }

        /** @param kind the kind the connection's first byte named; null if none arrived */
        void serverError(Kind kind, IOException e) {
            // only a reset ends a connection before its first byte is read
            Kind blamed = kind != null ? kind : e instanceof SocketException ? Kind.RESET : Kind.WELL_BEHAVED;
            if (serverErrors.getAndIncrement(blamed.ordinal()) < EXAMPLES) {
                serverErrorExamples.add(blamed + ": " + e);
            }
        }

        void greenletsLeft(String hubs, int n) {
            greenletsLeft.put(hubs, n);
        }

        void fds(long before, long after) {
            fdsBefore = before;
            fdsAfter = after;
        }

        void heap(long before, long after) {
            heapBefore = before;
            heapAfter = after;
        }

        SoakReport build() {
            Map<Kind, Long> ev = new EnumMap<>(Kind.class);
            Map<Kind, Long> ce = new EnumMap<>(Kind.class);
            Map<Kind, Long> se = new EnumMap<>(Kind.class);
            Map<Kind, List<String>> errors = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                ev.put(k, events.get(k.ordinal()));
                ce.put(k, clientErrorCount.get(k.ordinal()));
                se.put(k, serverErrors.get(k.ordinal()));
                errors.put(k, List.copyOf(clientErrors.get(k)));
            }
            ev.remove(Kind.WELL_BEHAVED);
            return new SoakReport(config, messages.get(), bytes.get(), ev, errors, ce, se, List.copyOf(serverErrorExamples),
                    Map.copyOf(greenletsLeft), fdsBefore, fdsAfter, heapBefore, heapAfter);
        }
    }
}
