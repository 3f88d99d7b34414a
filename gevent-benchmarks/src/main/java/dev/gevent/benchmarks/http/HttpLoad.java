package dev.gevent.benchmarks.http;

import dev.gevent.benchmarks.load.ClosedLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A closed-loop HTTP/1.1 load generator ({@link ClosedLoop}): each of N kept-alive connections
 * sends {@code GET / HTTP/1.1}, waits for the whole response (status 200, a Content-Length body),
 * and only then sends the next. After a warm-up it measures for a fixed period and reports
 * requests per second and latency percentiles.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.gevent.benchmarks.http.HttpLoad host port connections warmupSeconds seconds [threads]
 * }</pre>
 *
 * <p>With {@code -Dhttp.serverPid=PID} it also reports the server's CPU time. The last line is
 * machine-readable: {@code RESULT reqs_per_s=... server_cpu_us_per_req=... ...}. With
 * {@code -Dhttp.pipeline=N} each connection sends N requests in one write and waits for the N
 * responses; what is counted is then such a batch ("batches", {@code RESULT batches_per_s=...}).
 * With {@code -Dload.rate=R} the requests (or batches) start at R per second in all ({@link
 * ClosedLoop}, "Paced").
 */
public final class HttpLoad {
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
        int connections = ClosedLoop.positive("connections", args[2]);
        int threads = args.length > 5 ? ClosedLoop.positive("threads", args[5])
                : Math.min(connections, Runtime.getRuntime().availableProcessors());
        int pipeline = ClosedLoop.positive("http.pipeline", System.getProperty("http.pipeline", "1"));
        byte[] request = ("GET / HTTP/1.1\r\nHost: " + args[0] + ":" + args[1] + "\r\nUser-Agent: gevent-HttpLoad\r\n\r\n")
                .repeat(pipeline).getBytes(StandardCharsets.ISO_8859_1);
        boolean batches = pipeline > 1;
        ClosedLoop.Setup setup = new ClosedLoop.Setup(server, connections, threads, Double.parseDouble(args[3]),
                Double.parseDouble(args[4]), Long.getLong("http.serverPid", -1), batches ? "batches" : "reqs",
                batches ? "batches of " + pipeline + " requests" : "requests", batches ? "batch" : "req",
                ClosedLoop.rateProperty());
        ClosedLoop.run(setup, String.format(Locale.ROOT, "%d connections, GET /%s, %d load thread(s), %s s measured",
                connections, batches ? " x " + pipeline + " pipelined" : "", threads, args[4]),
                i -> new Exchange(request, pipeline, i));
    }

    /**
     * One connection's requests (one, or a pipelined batch), and the check of each response: a 200
     * with its Content-Length body.
     */
    private static final class Exchange implements ClosedLoop.Conversation {
        private static final byte[] STATUS_200 = "HTTP/1.1 200".getBytes(StandardCharsets.ISO_8859_1);
        private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.ISO_8859_1);

        private final int index;
        private final int pipeline;
        private final ByteBuffer out;
        private final ByteBuffer in = ByteBuffer.allocate(RESPONSE_LIMIT);
        /** Where the response being parsed starts in {@code in}. */
        private int start;
        private int responses;
        private int headEnd = -1;
        private long bodyLength;

        Exchange(byte[] request, int pipeline, int index) {
            this.index = index;
            this.pipeline = pipeline;
            this.out = ByteBuffer.allocateDirect(request.length).put(request).flip();
        }

        @Override
        public ByteBuffer nextRequest() {
            headEnd = -1;
            start = 0;
            responses = 0;
            return out.rewind();
        }

        @Override
        public ByteBuffer replyBuffer() {
            return in;
        }

        @Override
        public boolean replyComplete() throws IOException {
            while (true) {
                int end = responseEnd();
                if (end < 0) {
                    return false;
                }
                start = end;
                headEnd = -1;
                if (++responses == pipeline) {
                    return true;
                }
            }
        }

        /** @return past the response that starts at {@code start}, or -1 while it is incomplete */
        private int responseEnd() throws IOException {
            byte[] b = in.array();
            int len = in.position();
            if (headEnd < 0) {
                for (int i = start + 3; i < len; i++) {
                    if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                        headEnd = i + 1;
                        break;
                    }
                }
                if (headEnd < 0) {
                    if (len == b.length) {
                        throw new IOException("connection " + index + ": response head over " + b.length + " bytes");
                    }
                    return -1;
                }
                if (!Arrays.equals(b, start, start + STATUS_200.length, STATUS_200, 0, STATUS_200.length)) {
                    throw new IOException("connection " + index + ": not a 200: "
                            + new String(b, start, Math.min(len - start, 80), StandardCharsets.ISO_8859_1));
                }
                bodyLength = contentLength(b, start, headEnd);
            }
            long end = headEnd + bodyLength;
            if (responses == pipeline - 1 && len > end) {
                throw new IOException("connection " + index + ": more bytes than " + pipeline + " response(s)");
            }
            return len >= end ? (int) end : -1;
        }

        private long contentLength(byte[] b, int from, int end) throws IOException {
            outer:
            for (int i = from; i + CONTENT_LENGTH.length < end; i++) {
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
    }
}
