package dev.gevent.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load, written with plain {@code java.nio}, independently of the servers under test:
 * each of N connections sends a request, waits until its whole reply is in (and checks it), and
 * only then sends the next. A few platform threads (by default one per available processor), each
 * with its own {@link Selector} and its share of the connections; nothing allocated per request.
 * A request counts if its reply completes inside the measured period; its latency runs from just
 * before its first byte is written to just after its reply's last byte is read.
 *
 * <p>During the first half of the warm-up each connection is closed and opened again after every
 * {@value #CHURN_REQUESTS} requests, so that the server's per-connection code (accepting, starting
 * a handler) is compiled before the connections that are measured are opened. Connections that
 * all opened while the server was cold would keep interpreted frames under their handlers for
 * good; a thread-per-connection server, virtual threads included, would pay for them on every
 * resume, which a server that has been running a while does not.
 *
 * <p>Given the server's PID, it also reports the CPU time the server process used during the
 * measured period, as a share of one core and per request. Next to the load generator's own share
 * and the busy share of each core (which includes the kernel's interrupt work, where loopback
 * packets are delivered), that shows which side was the bottleneck; the time per request is what
 * the server would need on a core of its own, the steadier figure when other processes compete
 * for the cores. The last line of the report is machine-readable: {@code RESULT key=value ...}.
 *
 * <p><b>Paced.</b> With a {@link Setup#rate rate}, requests start no faster than that many per
 * second in all (each worker its share, spaced evenly): a connection whose reply is in waits its
 * turn. Below the server's capacity this holds the throughput fixed, so the server's CPU per
 * request compares servers on their own cost, apart from how they make a saturated load generator
 * spend its core. A paced worker never sleeps: it polls its selector between requests, so give
 * it a core of its own (one load thread per core).
 */
public final class ClosedLoop {
    /** Round trips above this are recorded as this; a reply that slow has failed anyway. */
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** During the first half of the warm-up, a connection is replaced after this many requests. */
    public static final int CHURN_REQUESTS = 256;

    /** One connection's protocol: its request, and when what came back is its whole reply. */
    public interface Conversation {
        /** @return the next request, ready to write (it is written from its position to its limit) */
        ByteBuffer nextRequest();

        /** @return where the reply is read into; cleared before each request */
        ByteBuffer replyBuffer();

        /**
         * @return true once the reply buffer holds the whole reply
         * @throws IOException if the reply is wrong
         */
        boolean replyComplete() throws IOException;
    }

    /**
     * What to measure, and how to name it in the report: "msgs", "messages", "msg".
     *
     * @param rate requests per second in all, or 0 for as fast as the replies come (see the class
     *     comment, "Paced")
     */
    public record Setup(InetSocketAddress server, int connections, int threads, double warmupSeconds, double seconds,
            long serverPid, String unit, String units, String perUnit, double rate) {
        /**
         * @throws IllegalArgumentException if the rate is negative or not a number
         */
        public Setup {
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("rate must be 0 (unpaced) or a positive number of requests per second,"
                        + " got " + rate);
            }
        }
    }

    private ClosedLoop() {
    }

    /**
     * Runs the load and prints the report (after {@code header}, the report's first line).
     *
     * @param setup what to measure
     * @param header the report's first line
     * @param conversations makes the conversation of connection i
     * @throws Exception if a connection fails or a reply is wrong
     */
    public static void run(Setup setup, String header, IntFunction<Conversation> conversations) throws Exception {
        Window window = new Window();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < setup.threads(); i++) {
            workers.add(new Worker(i, window, setup.server(), setup.rate() / setup.threads()));
        }
        for (int i = 0; i < setup.connections(); i++) {
            workers.get(i % setup.threads()).add(new Connection(connect(setup.server()), conversations.apply(i), i));
        }
        for (Worker w : workers) {
            w.thread.start();
        }
        Thread.sleep(Math.round(setup.warmupSeconds() * 500));
        window.churning = false;
        Thread.sleep(Math.round(setup.warmupSeconds() * 500));
        long serverCpu = Machine.cpuNanos(setup.serverPid());
        long loadCpu = Machine.cpuNanos(ProcessHandle.current().pid());
        long[][] coresBefore = Machine.coreTicks();
        long from = System.nanoTime();
        window.from = from;
        Thread.sleep(Math.round(setup.seconds() * 1000));
        long to = System.nanoTime();
        window.to = to;
        serverCpu = serverCpu < 0 ? -1 : Machine.cpuNanos(setup.serverPid()) - serverCpu;
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
        System.out.println(setup.rate() > 0
                ? header + String.format(Locale.ROOT, ", paced at %,.0f %s/s", setup.rate(), setup.unit()) : header);
        report(setup, to - from, requests, latency, serverCpu, loadCpu, busy);
    }

    private static void report(Setup setup, long nanos, long requests, Histogram latency, long serverCpu, long loadCpu,
            String busy) {
        double rate = requests / (nanos / 1e9);
        System.out.printf(Locale.ROOT, "%,.0f %s/s (%,d %s)%n", rate, setup.unit(), requests, setup.units());
        System.out.printf(Locale.ROOT, "latency us: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                micros(latency, 50), micros(latency, 99), micros(latency, 99.9), latency.getMaxValue() / 1e3);
        String serverShare = serverCpu < 0 ? "-" : percent(serverCpu, nanos);
        String serverPerRequest = serverCpu < 0 || requests == 0 ? "-"
                : String.format(Locale.ROOT, "%.2f", serverCpu / 1e3 / requests);
        String loadShare = loadCpu < 0 ? "-" : percent(loadCpu, nanos);
        System.out.println("cpu, % of one core: server " + serverShare + ", load " + loadShare
                + "; server cpu per " + setup.perUnit() + ": " + serverPerRequest + " us; busy % per core: " + busy);
        System.out.printf(Locale.ROOT,
                "RESULT %s_per_s=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f server_cpu_pct=%s"
                        + " server_cpu_us_per_%s=%s load_cpu_pct=%s core_busy_pct=%s%n",
                setup.unit(), rate, micros(latency, 50), micros(latency, 99), micros(latency, 99.9),
                latency.getMaxValue() / 1e3, serverShare, setup.perUnit(), serverPerRequest, loadShare, busy.replace(' ', ','));
    }

    private static double micros(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    private static String percent(long cpuNanos, long nanos) {
        return String.format(Locale.ROOT, "%.0f", 100.0 * cpuNanos / nanos);
    }

    /**
     * @param name what the number is, for the message
     * @param text a decimal number
     * @return it, if positive
     * @throws IllegalArgumentException otherwise
     */
    public static int positive(String name, String text) {
        int v = Integer.parseInt(text);
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
        return v;
    }

    /**
     * @return the rate the system property {@code load.rate} asks for (requests per second in all),
     *     or 0 when it is not set: unpaced
     * @throws IllegalArgumentException if it is not a number
     */
    public static double rateProperty() {
        String rate = System.getProperty("load.rate", "0");
        try {
            return Double.parseDouble(rate);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("load.rate must be a number of requests per second, got " + rate, e);
        }
    }

    private static SocketChannel connect(InetSocketAddress server) throws IOException {
        SocketChannel channel = SocketChannel.open(server);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        return channel;
    }

    /** The measured period, set by the main thread, read by the workers on every reply. */
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
        /** How long to let the requests in flight complete once the measured period is over. */
        private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

        final Thread thread;
        final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
        long requests;
        Throwable failure;
        private final Window window;
        private final InetSocketAddress server;
        private final Selector selector;
        private final List<Connection> connections = new ArrayList<>();
        /** Spaces the requests, or null: a reply's connection sends its next request at once. */
        private final Pacer pacer;
        private int inFlight;

        Worker(int index, Window window, InetSocketAddress server, double rate) throws IOException {
            this.window = window;
            this.server = server;
            this.pacer = rate > 0 ? new Pacer(rate) : null;
            this.selector = Selector.open();
            this.thread = Thread.ofPlatform().name("load-" + index).unstarted(this);
        }

        void add(Connection c) throws IOException {
            c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
            connections.add(c);
        }

        @Override
        public void run() {
            try {
                for (Connection c : connections) {
                    next(c);
                }
                while (!window.stopping) {
                    if (pacer == null) {
                        selector.select(this::onReady, 100);
                    } else {
                        selector.selectNow(this::onReady);
                        for (Connection c; (c = pacer.due(System.nanoTime())) != null; ) {
                            send(c);
                        }
                    }
                }
                // Closing a socket with a reply still unread would reset the connection: the
                // server would see an error instead of the end of the stream.
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
            int n = c.channel.read(c.conversation.replyBuffer());
            if (n < 0) {
                throw new IOException("connection " + c.index + ": the server closed it");
            }
            if (!c.conversation.replyComplete()) {
                return;
            }
            long now = System.nanoTime();
            inFlight--;
            if (window.contains(now)) {
                requests++;
                latency.recordValue(Math.min(now - c.sentAt, MAX_LATENCY_NANOS));
            }
            if (window.churning && ++c.requestsOnChannel >= CHURN_REQUESTS) {
                // Nothing is in flight on it: the server reads the end of the stream, no reset.
                c.channel.close();
                c.channel = connect(server);
                c.requestsOnChannel = 0;
                c.interest = SelectionKey.OP_READ;
                c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
            }
            if (!window.stopping) {
                next(c);
            }
        }

        /** Sends the connection's next request, now or, paced, when its turn comes. */
        private void next(Connection c) throws IOException {
            if (pacer == null) {
                send(c);
            } else {
                pacer.waiting.add(c);
            }
        }

        private void send(Connection c) throws IOException {
            c.out = c.conversation.nextRequest();
            c.conversation.replyBuffer().clear();
            inFlight++;
            c.sentAt = System.nanoTime();
            c.channel.write(c.out);
            c.updateInterest();
        }
    }

    /**
     * The turns of one paced worker: a request may start every 1 / rate seconds. A worker that falls
     * behind (a server slower than the rate, or a stall) sends as soon as replies come, as unpaced,
     * but keeps no more turns in hand than it has connections waiting: a stall is not followed by
     * a burst that makes up for it.
     */
    private static final class Pacer {
        final ArrayDeque<Connection> waiting = new ArrayDeque<>();
        private final double perNano;
        private final long start = System.nanoTime();
        private long started;

        Pacer(double rate) {
            this.perNano = rate / 1e9;
        }

        /** @return the connection whose request may start at {@code now}, or null: none waits, or it is too early */
        Connection due(long now) {
            long due = (long) ((now - start) * perNano);
            started = Math.max(started, due - waiting.size());
            if (waiting.isEmpty() || started >= due) {
                return null;
            }
            started++;
            return waiting.poll();
        }
    }

    /** One connection: its conversation, the request being written, and when it left. */
    private static final class Connection {
        SocketChannel channel;
        final Conversation conversation;
        final int index;
        ByteBuffer out;
        SelectionKey key;
        long sentAt;
        int requestsOnChannel;
        int interest = SelectionKey.OP_READ;

        Connection(SocketChannel channel, Conversation conversation, int index) {
            this.channel = channel;
            this.conversation = conversation;
            this.index = index;
        }

        /** Watches for write readiness only while part of the request is still unwritten. */
        void updateInterest() {
            int wanted = SelectionKey.OP_READ | (out.hasRemaining() ? SelectionKey.OP_WRITE : 0);
            if (wanted != interest) {
                key.interestOps(wanted);
                interest = wanted;
            }
        }
    }
}
