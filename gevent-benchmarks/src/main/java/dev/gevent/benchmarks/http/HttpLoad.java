package dev.gevent.benchmarks.http;

import dev.gevent.benchmarks.load.Machine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP/1.1 load generator: each of N kept-alive connections sends
 * {@code GET / HTTP/1.1}, waits for the whole response (status 200, a Content-Length body), and
 * only then sends the next. After a warm-up it measures for a fixed period and reports requests
 * per second and latency percentiles.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.gevent.benchmarks.http.HttpLoad host port connections warmupSeconds seconds [threads]
 * }</pre>
 *
 * <p>Plain {@code java.nio}, independent of the servers under test: a few platform threads (one
 * per available processor by default), each with a selector and its share of the connections, no
 * allocation per request. During the first half of the warm-up each connection is replaced after
 * every {@value #CHURN_REQUESTS} requests, so that each server's per-connection code is compiled
 * before the measured connections open (as {@code EchoLoad} does, for the same reason). With
 * {@code -Dhttp.serverPid=PID} it also reports the server's CPU time. The last line is
 * machine-readable: {@code RESULT key=value ...}.
 */
public final class HttpLoad {
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int CHURN_REQUESTS = 256;
    private static final int RESPONSE_LIMIT = 64 * 1024;

    private HttpLoad() {
    }

    /**
     * Runs the load and prints the results.
     *
     * @param args host, port, connections, warm-up seconds, measured seconds, and optionally the
     *     number of load threads
     * @throws Exception if a connection fails or a response is wrong
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 5 || args.length > 6) {
            System.err.println("usage: HttpLoad host port connections warmupSeconds seconds [threads]");
            System.exit(2);
        }
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int connections = Integer.parseInt(args[2]);
        double warmupSeconds = Double.parseDouble(args[3]);
        double seconds = Double.parseDouble(args[4]);
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : Math.min(connections, Runtime.getRuntime().availableProcessors());
        if (connections < 1 || threads < 1) {
            throw new IllegalArgumentException("connections and threads must be positive");
        }
        long serverPid = Long.getLong("http.serverPid", -1);
        byte[] request = ("GET / HTTP/1.1\r\nHost: " + args[0] + ":" + args[1] + "\r\nUser-Agent: gevent-HttpLoad\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);

        Window window = new Window();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(new Worker(i, window, server));
        }
        for (int i = 0; i < connections; i++) {
            workers.get(i % threads).add(new Connection(connect(server), request, i));
        }
        for (Worker w : workers) {
            w.thread.start();
        }
        Thread.sleep(Math.round(warmupSeconds * 500));
        window.churning = false;
        Thread.sleep(Math.round(warmupSeconds * 500));
        long serverCpu = Machine.cpuNanos(serverPid);
        long loadCpu = Machine.cpuNanos(ProcessHandle.current().pid());
        long[][] coresBefore = Machine.coreTicks();
        long from = System.nanoTime();
        window.from = from;
        Thread.sleep(Math.round(seconds * 1000));
        long to = System.nanoTime();
        window.to = to;
        serverCpu = serverCpu < 0 ? -1 : Machine.cpuNanos(serverPid) - serverCpu;
        loadCpu = Machine.cpuNanos(ProcessHandle.current().pid()) - loadCpu;
        String busy = Machine.coreBusy(coresBefore, Machine.coreTicks());
        window.stopping = true;

        Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
        long requests = 0;
        for (Worker w : workers) {
            w.thread.join();
            if (w.failure != null) {
                throw new IOException("load thread " + w.thread.getName() + " failed", w.failure);
            }
            latency.add(w.latency);
            requests += w.requests;
        }
        double secs = (to - from) / 1e9;
        double rate = requests / secs;
        String serverShare = serverCpu < 0 ? "-" : String.format(Locale.ROOT, "%.0f", 100.0 * serverCpu / (to - from));
        String serverPerRequest = serverCpu < 0 || requests == 0 ? "-" : String.format(Locale.ROOT, "%.2f", serverCpu / 1e3 / requests);
        String loadShare = String.format(Locale.ROOT, "%.0f", 100.0 * loadCpu / (to - from));
        System.out.printf(Locale.ROOT, "%d connections, %d load thread(s), %.1f s measured%n", connections, threads, secs);
        System.out.printf(Locale.ROOT, "%,.0f requests/s (%,d requests)%n", rate, requests);
        System.out.printf(Locale.ROOT, "latency us: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                micros(latency, 50), micros(latency, 99), micros(latency, 99.9), latency.getMaxValue() / 1e3);
        System.out.println("cpu, % of one core: server " + serverShare + ", load " + loadShare
                + "; server cpu per request: " + serverPerRequest + " us; busy % per core: " + busy);
        System.out.printf(Locale.ROOT,
                "RESULT reqs_per_s=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f server_cpu_pct=%s"
                        + " server_cpu_us_per_req=%s load_cpu_pct=%s core_busy_pct=%s%n",
                rate, micros(latency, 50), micros(latency, 99), micros(latency, 99.9), latency.getMaxValue() / 1e3,
                serverShare, serverPerRequest, loadShare, busy.replace(' ', ','));
    }

    private static double micros(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    private static SocketChannel connect(InetSocketAddress server) throws IOException {
        SocketChannel channel = SocketChannel.open(server);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        return channel;
    }

    /** The measured period, set by the main thread, read by the workers on every response. */
    private static final class Window {
        volatile long from = Long.MAX_VALUE;
        volatile long to = Long.MAX_VALUE;
        volatile boolean churning = true;
        volatile boolean stopping;

        boolean contains(long now) {
            return now - from >= 0 && now - to < 0;
        }
    }

    /** One platform thread with a selector, driving its share of the connections. */
    private static final class Worker implements Runnable {
        private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

        final Thread thread;
        final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
        long requests;
        Throwable failure;
        private final Window window;
        private final InetSocketAddress server;
        private final Selector selector;
        private final List<Connection> connections = new ArrayList<>();
        private int inFlight;

        Worker(int index, Window window, InetSocketAddress server) throws IOException {
            this.window = window;
            this.server = server;
            this.selector = Selector.open();
            this.thread = Thread.ofPlatform().name("http-load-" + index).unstarted(this);
        }

        void add(Connection c) throws IOException {
            c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
            connections.add(c);
        }

        @Override
        public void run() {
            try {
                for (Connection c : connections) {
                    send(c);
                }
                while (!window.stopping) {
                    selector.select(this::onReady, 100);
                }
                long deadline = System.nanoTime() + DRAIN_NANOS;
                while (inFlight > 0 && System.nanoTime() - deadline < 0) {
                    selector.select(this::onReady, 100);
                }
            } catch (Throwable e) {
                failure = e;
            } finally {
                for (Connection c : connections) {
                    try {
                        c.channel.close();
                    } catch (IOException e) {
                        if (failure == null) {
                            failure = e;
                        }
                    }
                }
                try {
                    selector.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }

        private void onReady(SelectionKey key) {
            Connection c = (Connection) key.attachment();
            try {
                if (key.isWritable()) {
                    c.channel.write(c.out);
                    c.updateInterest();
                }
                if (key.isReadable()) {
                    read(c);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("connection " + c.index + " failed", e);
            }
        }

        private void read(Connection c) throws IOException {
            int n = c.channel.read(c.in);
            if (n < 0) {
                throw new IOException("connection " + c.index + ": the server closed it");
            }
            if (!c.responseComplete()) {
                return;
            }
            long now = System.nanoTime();
            inFlight--;
            if (window.contains(now)) {
                requests++;
                latency.recordValue(Math.min(now - c.sentAt, MAX_LATENCY_NANOS));
            }
            if (window.churning && ++c.requestsOnChannel >= CHURN_REQUESTS) {
                c.channel.close();
                c.channel = connect(server);
                c.requestsOnChannel = 0;
                c.interest = SelectionKey.OP_READ;
                c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
            }
            if (!window.stopping) {
                send(c);
            }
        }

        private void send(Connection c) throws IOException {
            c.out.clear();
            c.in.clear();
            c.headEnd = -1;
            inFlight++;
            c.sentAt = System.nanoTime();
            c.channel.write(c.out);
            c.updateInterest();
        }
    }

    /** One connection: its request, the buffer its response arrives in, and when the request left. */
    private static final class Connection {
        private static final byte[] STATUS_200 = "HTTP/1.1 200".getBytes(StandardCharsets.ISO_8859_1);
        private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.ISO_8859_1);

        SocketChannel channel;
        final int index;
        final ByteBuffer out;
        final ByteBuffer in = ByteBuffer.allocate(RESPONSE_LIMIT);
        SelectionKey key;
        long sentAt;
        int requestsOnChannel;
        int interest = SelectionKey.OP_READ;
        int headEnd = -1;
        long bodyLength;

        Connection(SocketChannel channel, byte[] request, int index) {
            this.channel = channel;
            this.index = index;
            this.out = ByteBuffer.allocateDirect(request.length).put(request).flip();
        }

        /** @return true once the whole response is in; checks its status and framing */
        boolean responseComplete() throws IOException {
            byte[] b = in.array();
            int len = in.position();
            if (headEnd < 0) {
                for (int i = 3; i < len; i++) {
                    if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                        headEnd = i + 1;
                        break;
                    }
                }
                if (headEnd < 0) {
                    if (len == b.length) {
                        throw new IOException("connection " + index + ": response head over " + b.length + " bytes");
                    }
                    return false;
                }
                if (!java.util.Arrays.equals(b, 0, STATUS_200.length, STATUS_200, 0, STATUS_200.length)) {
                    throw new IOException("connection " + index + ": not a 200: "
                            + new String(b, 0, Math.min(len, 80), StandardCharsets.ISO_8859_1));
                }
                bodyLength = contentLength(b, headEnd);
            }
            if (len > headEnd + bodyLength) {
                throw new IOException("connection " + index + ": more bytes than one response");
            }
            return len == headEnd + bodyLength;
        }

        private long contentLength(byte[] b, int end) throws IOException {
            outer:
            for (int i = 0; i + CONTENT_LENGTH.length < end; i++) {
                if (b[i] != '\n') {
                    continue;
                }
                for (int k = 0; k < CONTENT_LENGTH.length; k++) {
                    if ((b[i + 1 + k] | 0x20) != CONTENT_LENGTH[k]) {
                        continue outer;
                    }
                }
                int p = i + 1 + CONTENT_LENGTH.length;
                while (b[p] == ' ') {
                    p++;
                }
                long n = 0;
                while (b[p] >= '0' && b[p] <= '9') {
                    n = n * 10 + (b[p++] - '0');
                }
                return n;
            }
            throw new IOException("connection " + index + ": a response without Content-Length");
        }

        void updateInterest() {
            int wanted = SelectionKey.OP_READ | (out.hasRemaining() ? SelectionKey.OP_WRITE : 0);
            if (wanted != interest) {
                key.interestOps(wanted);
                interest = wanted;
            }
        }
    }
}
