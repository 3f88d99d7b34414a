package dev.gevent.benchmarks.echo;

import dev.gevent.benchmarks.load.ClosedLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * A closed-loop echo load generator ({@link ClosedLoop}): each of N connections sends an M-byte
 * message, waits until all M bytes have come back (and checks that they are the bytes it sent),
 * and only then sends the next. After a warm-up period it measures for a fixed period and reports
 * the messages completed per second and the round-trip latency percentiles.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.gevent.benchmarks.echo.EchoLoad host port connections size warmupSeconds seconds [threads]
 * }</pre>
 *
 * <p>With the system property {@code echo.serverPid} set, it also reports the CPU time the server
 * process used during the measured period. With {@code load.rate=R} the messages start at R per
 * second in all ({@link ClosedLoop}, "Paced"): the server's CPU per message then compares servers at
 * one throughput. The last line of the output is machine-readable:
 * {@code RESULT msgs_per_s=... server_cpu_us_per_msg=... ...}.
 */
public final class EchoLoad {
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
        int connections = ClosedLoop.positive("connections", args[2]);
        int size = ClosedLoop.positive("size", args[3]);
        int threads = args.length > 6 ? ClosedLoop.positive("threads", args[6])
                : Math.min(connections, Runtime.getRuntime().availableProcessors());
        ClosedLoop.Setup setup = new ClosedLoop.Setup(server, connections, threads, Double.parseDouble(args[4]),
                Double.parseDouble(args[5]), Long.getLong("echo.serverPid", -1), "msgs", "messages", "msg",
                ClosedLoop.rateProperty());
        ClosedLoop.run(setup, String.format(Locale.ROOT, "%d connections x %d bytes, %d load thread(s), %s s measured",
                connections, size, threads, args[5]), i -> new Echo(size, i));
    }

    /** One connection's messages: a fresh sequence number up front in each, so a stale echo shows. */
    private static final class Echo implements ClosedLoop.Conversation {
        private final int index;
        private final ByteBuffer out;
        private final ByteBuffer in;
        private long sequence;

        Echo(int size, int index) {
            this.index = index;
            this.out = ByteBuffer.allocateDirect(size);
            this.in = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                out.put(i, (byte) (index + i));
            }
        }

        @Override
        public ByteBuffer nextRequest() {
            out.clear();
            if (out.capacity() >= Long.BYTES) {
                out.putLong(0, ++sequence);
            }
            return out;
        }

        @Override
        public ByteBuffer replyBuffer() {
            return in;
        }

        @Override
        public boolean replyComplete() throws IOException {
            if (in.hasRemaining()) {
                return false;
            }
            if (in.flip().mismatch(out.rewind()) >= 0) {
                throw new IOException("connection " + index + ": the echo differs from message " + sequence);
            }
            return true;
        }
    }
}
