package dev.gevent.benchmarks.echo;

import dev.gevent.benchmarks.load.Machine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop echo load generator: each of N connections sends an M-byte message, waits until
 * all M bytes have come back (and checks that they are the bytes it sent), and only then sends the
 * next. After a warm-up period it measures for a fixed period and reports the messages completed
 * per second and the round-trip latency percentiles.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.gevent.benchmarks.echo.EchoLoad host port connections size warmupSeconds seconds [threads]
 * }</pre>
 *
 * <p>It is written with plain {@code java.nio}, independently of the library under test: a few
 * platform threads (by default one per available processor, so one when pinned to one core), each
 * with its own {@link Selector} and its share of the connections, and no allocation per message.
 * A message counts if its echo completes inside the measured period; its latency runs from just
 * before its first byte is written to just after its last byte is read.
 *
 * <p>During the first half of the warm-up each connection is closed and opened again after every
 * {@value #CHURN_MESSAGES} messages, so that the server's per-connection code (accepting, starting
 * a handler) is compiled before the connections that are measured are opened. Connections that
 * all opened while the server was cold would keep interpreted frames under their handlers for
 * good; a thread-per-connection server, virtual threads included, would pay for them on every
 * resume, which a server that has been running a while does not.
 *
 * <p>With the system property {@code echo.serverPid} set, it also reports the CPU time the server
 * process used during the measured period, as a share of one core and per message. Next to the
 * load generator's own share and the busy share of each core (which includes the kernel's
 * interrupt work, where loopback packets are delivered), that shows which side was the
 * bottleneck; the time per message is what the server would need on a core of its own, the
 * steadier figure when other processes compete for the cores. The last line of the output is
 * machine-readable: {@code RESULT key=value ...}.
 */
public final class EchoLoad {
    /** Round trips above this are recorded as this; an echo that slow has failed anyway. */
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** During the first half of the warm-up, a connection is replaced after this many messages. */
    static final int CHURN_MESSAGES = 256;

    private EchoLoad() {
    }

    /**
     * Runs the load and prints the results.
     *
     * @param args host, port, connections, message size in bytes, warm-up seconds, measured
     *     seconds, and optionally the number of load threads
     * @throws Exception if a connection fails or an echo is wrong
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 6 || args.length > 7) {
            System.err.println("usage: EchoLoad host port connections size warmupSeconds seconds [threads]");
            System.exit(2);
        }
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int connections = positive("connections", args[2]);
        int size = positive("size", args[3]);
        double warmupSeconds = Double.parseDouble(args[4]);
        double seconds = Double.parseDouble(args[5]);
        int threads = args.length > 6 ? positive("threads", args[6])
                : Math.min(connections, Runtime.getRuntime().availableProcessors());
        long serverPid = Long.getLong("echo.serverPid", -1);

        Window window = new Window();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(new Worker(i, window, server));
        }
        for (int i = 0; i < connections; i++) {
            workers.get(i % threads).add(new Connection(connect(server), size, i));
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
        long messages = 0;
        for (Worker w : workers) {
            w.thread.join();
            if (w.failure != null) {
                throw new IOException("load thread " + w.thread.getName() + " failed", w.failure);
            }
            latency.add(w.latency);
            messages += w.messages;
        }
        report(connections, size, threads, to - from, messages, latency, serverCpu, loadCpu, busy);
    }

    private static SocketChannel connect(InetSocketAddress server) throws IOException {
        SocketChannel channel = SocketChannel.open(server);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        return channel;
    }

    private static void report(int connections, int size, int threads, long nanos, long messages,
                               Histogram latency, long serverCpu, long loadCpu, String busy) {
        double seconds = nanos / 1e9;
        double rate = messages / seconds;
        System.out.printf(Locale.ROOT, "%d connections x %d bytes, %d load thread(s), %.1f s measured%n",
                connections, size, threads, seconds);
        System.out.printf(Locale.ROOT, "%,.0f msgs/s (%,d messages)%n", rate, messages);
        System.out.printf(Locale.ROOT, "latency us: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                micros(latency, 50), micros(latency, 99), micros(latency, 99.9), latency.getMaxValue() / 1e3);
        String serverShare = serverCpu < 0 ? "-" : percent(serverCpu, nanos);
        String serverPerMessage = serverCpu < 0 || messages == 0 ? "-"
                : String.format(Locale.ROOT, "%.2f", serverCpu / 1e3 / messages);
        String loadShare = loadCpu < 0 ? "-" : percent(loadCpu, nanos);
        System.out.println("cpu, % of one core: server " + serverShare + ", load " + loadShare
                + "; server cpu per message: " + serverPerMessage + " us; busy % per core: " + busy);
        System.out.printf(Locale.ROOT,
                "RESULT msgs_per_s=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f server_cpu_pct=%s"
                        + " server_cpu_us_per_msg=%s load_cpu_pct=%s core_busy_pct=%s%n",
                rate, micros(latency, 50), micros(latency, 99), micros(latency, 99.9),
                latency.getMaxValue() / 1e3, serverShare, serverPerMessage, loadShare, busy.replace(' ', ','));
    }

    private static double micros(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    private static String percent(long cpuNanos, long nanos) {
        return String.format(Locale.ROOT, "%.0f", 100.0 * cpuNanos / nanos);
    }

    private static int positive(String name, String text) {
        int v = Integer.parseInt(text);
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
        return v;
    }

    /** The measured period, set by the main thread, read by the workers on every message. */
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
        /** How long to let the messages in flight come back once the measured period is over. */
        private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

        final Thread thread;
        final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
        long messages;
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
            this.thread = Thread.ofPlatform().name("echo-load-" + index).unstarted(this);
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
                // Closing a socket with an echo still unread would reset the connection: the
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
            int n = c.channel.read(c.in);
            if (n < 0) {
                throw new IOException("connection " + c.index + ": the server closed it");
            }
            if (c.in.hasRemaining()) {
                return;
            }
            long now = System.nanoTime();
            inFlight--;
            c.checkEcho();
            if (window.contains(now)) {
                messages++;
                latency.recordValue(Math.min(now - c.sentAt, MAX_LATENCY_NANOS));
            }
            if (window.churning && ++c.messagesOnChannel >= CHURN_MESSAGES) {
                // Nothing is in flight on it: the server reads the end of the stream, no reset.
                c.channel.close();
                c.channel = connect(server);
                c.messagesOnChannel = 0;
                c.interest = SelectionKey.OP_READ;
                c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
            }
            if (!window.stopping) {
                send(c);
            }
        }

        private void send(Connection c) throws IOException {
            c.next();
            inFlight++;
            c.sentAt = System.nanoTime();
            c.channel.write(c.out);
            c.updateInterest();
        }
    }

    /** One connection: its message, the buffer its echo arrives in, and when the message left. */
    private static final class Connection {
        SocketChannel channel;
        final int index;
        final ByteBuffer out;
        final ByteBuffer in;
        SelectionKey key;
        long sentAt;
        int messagesOnChannel;
        int interest = SelectionKey.OP_READ;
        private long sequence;

        Connection(SocketChannel channel, int size, int index) {
            this.channel = channel;
            this.index = index;
            this.out = ByteBuffer.allocateDirect(size);
            this.in = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                out.put(i, (byte) (index + i));
            }
        }

        /** Prepares the next message: a fresh sequence number up front, so a stale echo shows. */
        void next() {
            out.clear();
            if (out.capacity() >= Long.BYTES) {
                out.putLong(0, ++sequence);
            }
            in.clear();
        }

        /** Called once the whole echo is in, so the whole message has been written. */
        void checkEcho() throws IOException {
            if (in.flip().mismatch(out.rewind()) >= 0) {
                throw new IOException("connection " + index + ": the echo differs from message " + sequence);
            }
        }

        /** Watches for write readiness only while part of the message is still unwritten. */
        void updateInterest() {
            int wanted = SelectionKey.OP_READ | (out.hasRemaining() ? SelectionKey.OP_WRITE : 0);
            if (wanted != interest) {
                key.interestOps(wanted);
                interest = wanted;
            }
        }
    }
}
