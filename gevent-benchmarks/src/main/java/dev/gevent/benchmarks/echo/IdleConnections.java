package dev.gevent.benchmarks.echo;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.server.StreamServer;
import dev.gevent.tck.UsedHeap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * What an idle connection costs a server on one hub: runs a {@link StreamServer} with the
 * {@link EchoHandler} in this JVM and has separate {@link IdleClients} processes, first, warm the
 * server up with short echo connections, then open N connections that send nothing. Once every
 * handler greenlet is parked in its first read, it prints the growth per connection of the used
 * heap (after {@code System.gc()}), of the native memory the JVM committed outside the heap (with
 * {@code -XX:NativeMemoryTracking=summary}; the JIT compiler's arenas left out) and of the
 * process's resident set. Kernel socket buffers are in none of them.
 *
 * <pre>{@code
 * java -Xmx2g -XX:NativeMemoryTracking=summary --add-opens java.base/java.lang=ALL-UNNAMED \
 *     --enable-native-access=ALL-UNNAMED -cp benchmarks.jar dev.gevent.benchmarks.echo.IdleConnections \
 *     [count] [bufferBytes] [warmups]
 * }</pre>
 *
 * <p>count defaults to 10,000, bufferBytes (each handler's direct buffer) to 1,024 and warmups
 * to 20,000: enough that the handlers park in compiled frames, which take less room on a parked
 * greenlet's stack than interpreted ones, as they do in a server that has been running a while.
 *
 * <p><b>Many connections (100,000).</b> The server process needs a file descriptor per connection
 * and some more: it raises its limit if it may ({@link FileDescriptorLimit}), else stops at once
 * saying what is missing. A connection is unique by its addresses and ports, and a client
 * address has only the ephemeral ports of {@code net.ipv4.ip_local_port_range} (28,232 by
 * default) towards one server port; so the hub runs as many listeners (one {@link StreamServer}
 * each, 127.0.0.1 and a port of its own) as the connections need, and a client process per
 * listener opens its share of the connections to it. The clients let the kernel choose their
 * ports at connect time, never by binding: a port bound that way would be kept from every other
 * program's connections until its TIME_WAIT ends. Each process takes at most the ports less a
 * margin, its descriptor limit less some spare, and {@code -Didle.perClient=N} if set (to try the
 * split with fewer connections). The first process also runs the warm-up.
 */
public final class IdleConnections {
    /** Ephemeral ports of a source address left unused: other programs may need some. */
    private static final int PORT_MARGIN = 1000;
    private static final Duration WAIT_LIMIT = Duration.ofMinutes(5);
    private static final Pattern NMT_LINE =
            Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)", Pattern.MULTILINE);

    private IdleConnections() {
    }

    /**
     * Runs the measurement.
     *
     * @param args the number of connections (default 10,000), each handler's buffer size
     *     (default 1,024), the number of warm-up connections (default 20,000)
     * @throws Exception if the server or the clients fail
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int bufferBytes = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        long limit = FileDescriptorLimit.require(count, String.format(Locale.ROOT, "IdleConnections: %,d connections", count));
        List<Integer> shares = clientShares(count, limit);

        Hub hub = Gevent.getHub();
        AtomicInteger handlers = new AtomicInteger();
        EchoHandler echo = new EchoHandler(bufferBytes);
        List<StreamServer> servers = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            StreamServer server = new StreamServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    (socket, peer) -> {
                        handlers.incrementAndGet();
                        try {
                            echo.handle(socket, peer);
                        } finally {
                            handlers.decrementAndGet();
                        }
                    });
            server.start();
            servers.add(server);
        }

        List<Process> clients = new ArrayList<>();
        List<ClientReport> reports = new ArrayList<>();
        try {
            for (int p = 0; p < shares.size(); p++) {
                Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), IdleClients.class.getName(), "127.0.0.1",
                        Integer.toString(servers.get(p).address().getPort()), Integer.toString(shares.get(p)),
                        Integer.toString(p == 0 ? warmups : 0))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                clients.add(client);
                reports.add(ClientReport.watch(client));
            }
            // The warm-up has compiled the server's path: idle handlers park in compiled frames,
            // as they do in a server that has been running for a while.
            waitFor(clients, () -> reports.stream().allMatch(r -> r.warmed) && handlers.get() == 0,
                    "the warm-up connections to end");
            Snapshot before = Snapshot.take();
            long start = System.nanoTime();
            for (Process client : clients) {
                client.getOutputStream().write('\n');
                client.getOutputStream().flush();
            }
            waitFor(clients, () -> handlers.get() == count && reports.stream().mapToInt(r -> r.connected).sum() == count,
                    count + " connections");
            // Every handler greenlet has started; once the loop is idle, each is parked in read().
            Gevent.idle();
            long connectMillis = (System.nanoTime() - start) / 1_000_000;
            Snapshot after = Snapshot.take();
            report(count, bufferBytes, warmups, hub.loopName(), connectMillis, shares.size(), before, after);
        } finally {
            // The clients close their ends; each handler reads the end of the stream and returns.
            for (Process client : clients) {
                client.getOutputStream().close();
            }
            for (Process client : clients) {
                client.waitFor();
            }
            waitFor(clients, () -> handlers.get() == 0, "the handlers to end");
            for (StreamServer server : servers) {
                server.stop();
            }
            hub.close();
        }
    }

    /**
     * @return how many connections each client process opens, to a listener of its own: as few as
     *     the ports towards one listener and the descriptor limit (which the children inherit) allow
     */
    // /proc files report a size of 0, and Files.readString then reads too little: read lines.
    private static List<Integer> clientShares(int count, long descriptorLimit) throws IOException {
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim().split("\\s+");
        int ports = Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1 - PORT_MARGIN;
        long perProcess = Math.min(Math.min(ports, descriptorLimit - FileDescriptorLimit.SPARE),
                Long.getLong("idle.perClient", Long.MAX_VALUE));
        if (perProcess < 1) {
            throw new IOException("no room for a client connection: " + ports + " ephemeral ports, descriptor limit " + descriptorLimit);
        }
        List<Integer> shares = new ArrayList<>();
        for (int left = count; left > 0; left -= (int) Math.min(left, perProcess)) {
            shares.add((int) Math.min(left, perProcess));
        }
        return shares;
    }

    /** Lets the loop run until {@code condition} holds; fails if a client dies or it takes too long. */
    private static void waitFor(List<Process> clients, BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            for (Process client : clients) {
                if (!client.isAlive() && client.exitValue() != 0) {
                    throw new IOException("IdleClients exited with status " + client.exitValue() + " while waiting for " + what);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("gave up waiting " + WAIT_LIMIT + " for " + what);
            }
            Gevent.sleep(Duration.ofMillis(10));
        }
    }

    /** What the clients printed, read on a platform thread: a greenlet must not block reading it. */
    private static final class ClientReport {
        volatile boolean warmed;
        volatile int connected;

        static ClientReport watch(Process clients) {
            ClientReport report = new ClientReport();
            Thread.ofPlatform().daemon().name("idle-clients-output").start(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.equals("warmed")) {
                            report.warmed = true;
                        } else if (line.startsWith("connected ")) {
                            report.connected = Integer.parseInt(line.substring("connected ".length()).trim());
                        }
                    }
                } catch (IOException e) {
                    System.err.println("cannot read IdleClients' output: " + e);
                }
            });
            return report;
        }
    }

    private static void report(int count, int bufferBytes, int warmups, String loop, long connectMillis, int clientProcesses,
                               Snapshot before, Snapshot after) {
        System.out.printf(Locale.ROOT, "%,d idle connections on one hub (%s loop), each handler parked in read with a %,d-byte direct buffer;"
                + " connected in %,d ms from %d client process(es), one per listener, after %,d warm-up connections; max heap %,d MiB%n",
                count, loop, bufferBytes, connectMillis, clientProcesses, warmups, Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "heap used:             %,11d bytes, %,7d per connection%n",
                after.heapUsed - before.heapUsed, (after.heapUsed - before.heapUsed) / count);
        if (after.nmtKb.isEmpty()) {
            System.out.println("native outside the heap: run with -XX:NativeMemoryTracking=summary to see it");
        } else {
            long nativeBytes = (after.nativeKb() - before.nativeKb()) * 1024;
            System.out.printf(Locale.ROOT, "native outside heap:   %,11d bytes, %,7d per connection"
                    + " (NMT committed, all but Java Heap and the JIT compiler's own)%n",
                    nativeBytes, nativeBytes / count);
            for (Map.Entry<String, Long> e : after.nmtKb.entrySet()) {
                long delta = (e.getValue() - before.nmtKb.getOrDefault(e.getKey(), 0L)) * 1024;
                if (!e.getKey().equals("Total") && Math.abs(delta) >= 64 * 1024) {
                    System.out.printf(Locale.ROOT, "  %-20s %,11d bytes, %,7d per connection%n", e.getKey(), delta, delta / count);
                }
            }
        }
        long rss = (after.rssKb - before.rssKb) * 1024;
        System.out.printf(Locale.ROOT, "resident set (VmRSS): %,11d bytes, %,7d per connection%n", rss, rss / count);
        System.out.printf(Locale.ROOT, "RESULT connections=%d heap_per_conn=%d native_per_conn=%s rss_per_conn=%d%n",
                count, (after.heapUsed - before.heapUsed) / count,
                after.nmtKb.isEmpty() ? "-" : Long.toString((after.nativeKb() - before.nativeKb()) * 1024 / count),
                rss / count);
    }

    /** The process's memory at one moment. */
    private record Snapshot(long heapUsed, long rssKb, Map<String, Long> nmtKb) {
        static Snapshot take() throws IOException {
            long heap = UsedHeap.afterGc();
            return new Snapshot(heap, residentKb(), nmtCommittedKb());
        }

        /**
         * @return NMT's committed total less the Java heap's and the JIT compiler's, whose arenas
         *     come and go with compilations, not with connections
         */
        long nativeKb() {
            return nmtKb.getOrDefault("Total", 0L) - nmtKb.getOrDefault("Java Heap", 0L)
                    - nmtKb.getOrDefault("Compiler", 0L) - nmtKb.getOrDefault("Arena Chunk", 0L);
        }

        private static long residentKb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return 0;
        }

        /** @return committed KB per NMT category, and "Total"; empty if NMT is off */
        private static Map<String, Long> nmtCommittedKb() {
            String summary;
            try {
                summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                        new Object[] {new String[] {"summary", "scale=KB"}}, new String[] {String[].class.getName()});
            } catch (Exception e) {
                return Map.of();
            }
            Map<String, Long> kb = new LinkedHashMap<>();
            Matcher total = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB").matcher(summary);
            if (!total.find()) {
                return Map.of();
            }
            kb.put("Total", Long.parseLong(total.group(2)));
            Matcher m = NMT_LINE.matcher(summary);
            while (m.find()) {
                kb.put(m.group(1).trim(), Long.parseLong(m.group(3)));
            }
            return kb;
        }
    }
}
