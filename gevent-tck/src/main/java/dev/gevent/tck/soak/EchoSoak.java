package dev.gevent.tck.soak;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.Socket;
import dev.gevent.socket.StreamSocket;
import dev.gevent.tck.UsedHeap;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A bounded endurance run of an echo {@link StreamServer}: many connections echo messages of random
 * sizes for a while, and a share of the clients misbehave (reset their connection, half-close it, or
 * stall in the middle of a message); then everything is closed and the process is checked for what
 * the run left behind: open file descriptors, live greenlets, heap. The TCK's {@link EchoSoakTck}
 * runs it for a few seconds on every backend; {@link #main} runs it as a benchmark.
 *
 * <p>Every client checks every byte it gets back. The first byte a client sends on a connection
 * names its kind, so the server tells which connection failed: only resetting clients may cause
 * server-side errors. It runs on the calling thread's hub (which it only waits on), the server's
 * hubs ({@link StreamServer#hubs(int)}) and client hubs of its own.
 *
 * <p>Heap: the used heap after several {@code System.gc()} (the least of them), before the run and
 * after it, once a short warm-up of the same kind has loaded and initialised what the run needs, so
 * that one-time state does not count as growth.
 */
public final class EchoSoak {
    /** Descriptors a JVM uses besides the sockets. */
    private static final int SPARE_DESCRIPTORS = 200;
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(20);
    private static final Path FDS = Path.of("/proc/self/fd");

    private final SoakConfig config;

    /** @param config what to run */
    public EchoSoak(SoakConfig config) {
        this.config = config;
    }

    /**
     * Runs a warm-up (a tenth of the run, at most a second, at most 200 connections), measures the
     * baseline, runs the soak, closes everything and measures again. Blocks the calling greenlet.
     *
     * @return what happened
     * @throws Exception if the run could not be set up (a server that cannot bind, too few
     *     descriptors allowed)
     */
    public SoakReport run() throws Exception {
        requireDescriptors(config.connections());
        Duration warmUp = config.duration().dividedBy(10);
        if (warmUp.compareTo(Duration.ofSeconds(1)) > 0) {
            warmUp = Duration.ofSeconds(1);
        }
        new Round(config.withConnections(Math.min(config.connections(), 200)).withDuration(warmUp)).run();
        long fdsBefore = openDescriptors();
        long heapBefore = UsedHeap.afterGc();
        SoakReport.Builder report = new Round(config).run();
        report.fds(fdsBefore, openDescriptors());
        report.heap(heapBefore, settledHeap(heapBefore));
        return report.build();
    }

    /** One run of the server and its clients, from start to everything closed. */
    private static final class Round {
        private final SoakConfig config;
        private final SoakReport.Builder report;
        private final AtomicInteger activeHandlers = new AtomicInteger();

        Round(SoakConfig config) {
            this.config = config;
            this.report = new SoakReport.Builder(config);
        }

        SoakReport.Builder run() throws Exception {
            StreamServer server = new StreamServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), this::serve)
                    .hubs(config.serverHubs());
            List<Hub> clientHubs = new ArrayList<>();
            try {
                server.start();
                int[] idleGreenlets = greenletCounts(server.hubs());
                for (int i = 0; i < config.clientHubs(); i++) {
                    clientHubs.add(Hub.startThread("soak-clients-" + i));
                }
                long deadline = System.nanoTime() + config.duration().toNanos();
                List<Greenlet<Void>> clients = new ArrayList<>(config.connections());
                for (int i = 0; i < config.connections(); i++) {
                    Client client = new Client(i, Kind.of(i, config.misbehavingShare()), server.address(), deadline);
                    clients.add(clientHubs.get(i % clientHubs.size()).spawn(client::run));
                }
                Duration limit = config.duration().plus(SETTLE_LIMIT);
                for (Greenlet<Void> client : clients) {
                    if (!client.join(limit)) {
                        report.error(Kind.WELL_BEHAVED, client + " did not finish within " + limit);
                    } else if (client.exception() != null) {
                        report.error(Kind.WELL_BEHAVED, client + " failed: " + client.exception());
                    }
                }
                waitUntil(() -> activeHandlers.get() == 0, "the server's handlers to return");
                report.greenletsLeft("client hubs", sum(greenletCounts(clientHubs)));
                report.greenletsLeft("server hubs", sum(greenletCounts(server.hubs())) - sum(idleGreenlets));
            } finally {
                for (Hub hub : clientHubs) {
                    hub.close();
                }
                server.stop(SETTLE_LIMIT);
            }
            return report;
        }

        /** The echo, run for each connection: errors are recorded by the kind the first byte names. */
        private void serve(StreamSocket socket, SocketAddress peer) {
            activeHandlers.incrementAndGet();
            Kind kind = null;
            try {
                ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
                while (socket.read(buffer.clear()) >= 0) {
                    if (kind == null) {
                        kind = Kind.ofTag(buffer.get(0));
                    }
                    socket.writeFully(buffer.flip());
                }
            } catch (IOException e) {
                report.serverError(kind, e);
            } finally {
                activeHandlers.decrementAndGet();
            }
        }

        /** One client: a loop of connections in its kind's manner until the deadline. */
        private final class Client {
            private final int index;
            private final Kind kind;
            private final InetSocketAddress server;
            private final long deadline;
            private final Random random;
            /** Random bytes that messages are cut from. */
            private final byte[] source;
            private final byte[] echo;

            Client(int index, Kind kind, InetSocketAddress server, long deadline) {
                this.index = index;
                this.kind = kind;
                this.server = server;
                this.deadline = deadline;
                this.random = new Random(config.seed() * 1_000_003L + index);
                this.source = new byte[2 * config.maxMessage()];
                random.nextBytes(source);
                this.echo = new byte[config.maxMessage()];
            }

            void run() {
                try {
                    do {
                        switch (kind) {
                            case WELL_BEHAVED -> wellBehaved();
                            case HALF_CLOSE -> halfClose();
                            case RESET -> reset();
                            case STALL -> stall();
                        }
                    } while (!overdue());
                } catch (Exception | AssertionError e) {
                    report.error(kind, "client " + index + " (" + kind + "): " + e);
                }
            }

            /** Echoes messages on one connection until the deadline, then ends it cleanly. */
            private void wellBehaved() throws IOException {
                try (Socket socket = connect()) {
                    boolean first = true;
                    while (!overdue()) {
                        echoOnce(socket, first);
                        first = false;
                    }
                    expectEnd(socket);
                }
            }

            /** A few messages, a last one, the output ended, the rest of the echo read to its end. */
            private void halfClose() throws IOException {
                try (Socket socket = connect()) {
                    int messages = 1 + random.nextInt(4);
                    for (int i = 0; i < messages; i++) {
                        echoOnce(socket, i == 0);
                    }
                    int offset = random.nextInt(config.maxMessage());
                    int size = messageSize();
                    socket.writeFully(ByteBuffer.wrap(source, offset, size));
                    socket.shutdownOutput();
                    readEcho(socket, offset, size);
                    expectEnd(socket);
                    report.event(Kind.HALF_CLOSE);
                }
            }

            /** A message, maybe part of its echo, then a reset (SO_LINGER 0 and close). */
            private void reset() throws IOException {
                Socket socket = connect();
                try {
                    int size = messageSize();
                    socket.writeFully(tagged(0, size));
                    if (random.nextBoolean()) {
                        socket.read(ByteBuffer.wrap(echo, 0, 1 + random.nextInt(size)));
                    }
                    socket.setOption(StandardSocketOptions.SO_LINGER, 0);
                } finally {
                    socket.close();
                }
                report.event(Kind.RESET);
                Gevent.sleep(Duration.ofMillis(random.nextInt(50)));
            }

            /** Part of a message, a pause, the rest, another pause, then its echo. */
            private void stall() throws IOException {
                try (Socket socket = connect()) {
                    int size = Math.max(2, messageSize());
                    ByteBuffer message = tagged(0, size);
                    int split = 1 + random.nextInt(size - 1);
                    socket.writeFully(message.limit(split));
                    pause();
                    socket.writeFully(message.limit(size));
                    pause();
                    readEcho(socket, 0, size);
                    expectEnd(socket);
                    report.event(Kind.STALL);
                }
            }

            private Socket connect() throws IOException {
                Socket socket = Socket.connect(server);
                socket.setTimeout(SOCKET_TIMEOUT);
                return socket;
            }

            /** Sends a message of random size and checks its echo, byte for byte. */
            private void echoOnce(Socket socket, boolean first) throws IOException {
                int offset = random.nextInt(config.maxMessage());
                int size = messageSize();
                socket.writeFully(first ? tagged(offset, size) : ByteBuffer.wrap(source, offset, size));
                readEcho(socket, offset, size);
                report.message(size);
            }

            /** @return the message at {@code offset}, its first byte made this client's kind tag */
            private ByteBuffer tagged(int offset, int size) {
                source[offset] = kind.tag();
                return ByteBuffer.wrap(source, offset, size);
            }

            private void readEcho(Socket socket, int offset, int size) throws IOException {
                int got = 0;
                while (got < size) {
                    int n = socket.read(ByteBuffer.wrap(echo, got, size - got));
                    if (n < 0) {
                        throw new IOException("the server ended the stream after " + got + " of " + size + " echoed bytes");
                    }
                    got += n;
                }
                if (!Arrays.equals(echo, 0, size, source, offset, offset + size)) {
                    throw new IOException("the echo of " + size + " bytes differs from the message, first at byte "
                            + Arrays.mismatch(echo, 0, size, source, offset, offset + size));
                }
            }

            /** Ends the output, unless ended already, and expects the end of the echo's stream. */
            private void expectEnd(Socket socket) throws IOException {
                if (kind != Kind.HALF_CLOSE) {
                    socket.shutdownOutput();
                }
                int n = socket.read(ByteBuffer.wrap(echo, 0, 1));
                if (n != -1) {
                    throw new IOException("expected the end of the stream, got " + n + " more bytes");
                }
            }

            /** Half of all messages are at most 512 bytes; the rest spread up to the largest. */
            private int messageSize() {
                return random.nextBoolean() ? 1 + random.nextInt(512) : 1 + random.nextInt(config.maxMessage());
            }

            private void pause() {
                long left = deadline - System.nanoTime();
                long millis = Math.min(random.nextInt(200), Math.max(0, left / 1_000_000));
                Gevent.sleep(Duration.ofMillis(millis));
            }

            private boolean overdue() {
                return System.nanoTime() - deadline >= 0;
            }
        }
    }

    /**
     * @return how many greenlets each hub has, counted on the hub (less the greenlet that counts);
     *     0 for a hub already closed
     */
    private static int[] greenletCounts(List<Hub> hubs) {
        int[] counts = new int[hubs.size()];
        for (int i = 0; i < hubs.size(); i++) {
            Hub hub = hubs.get(i);
            try {
                counts[i] = hub.spawn(() -> hub.greenletCount() - 1).get(SETTLE_LIMIT);
            } catch (IllegalStateException closed) {
                counts[i] = 0;
            }
        }
        return counts;
    }

    private static int sum(int[] counts) {
        return Arrays.stream(counts).sum();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("gave up waiting " + SETTLE_LIMIT + " for " + what);
            }
            Gevent.sleep(Duration.ofMillis(10));
        }
    }

    /** @throws IllegalStateException if this process may not open the sockets of the run */
    private static void requireDescriptors(int connections) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long needed = 2L * connections + SPARE_DESCRIPTORS;
            long limit = unix.getMaxFileDescriptorCount();
            if (limit < needed) {
                throw new IllegalStateException(connections + " connections (both ends in this process) need about " + needed
                        + " file descriptors, but the limit is " + limit + ": raise it (ulimit -n " + needed
                        + ") or run fewer connections");
            }
        }
    }

    /** @return the descriptors open now, or -1 where /proc does not list them */
    private static long openDescriptors() throws IOException {
        Gevent.idle();
        if (!Files.isDirectory(FDS)) {
            return -1;
        }
        try (Stream<Path> entries = Files.list(FDS)) {
            return entries.count();
        }
    }

    /**
     * @return the used heap after the run; measured again, a few times over a second, while it is
     *     above the baseline: what the run dropped may need a collection or two more to go
     */
    private static long settledHeap(long before) {
        long after = UsedHeap.afterGc();
        for (int i = 0; i < 5 && after > before; i++) {
            Gevent.sleep(Duration.ofMillis(200));
            after = Math.min(after, UsedHeap.afterGc());
        }
        return after;
    }

    /**
     * Runs the soak as a benchmark and prints its report; exits with status 1 if a check failed.
     *
     * <pre>{@code
     * java -Xmx2g --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
     *     -Dgevent.loop=epoll -cp benchmarks.jar dev.gevent.tck.soak.EchoSoak [seconds] [connections] [serverHubs]
     * }</pre>
     *
     * @param args the duration in seconds (default 60), the connections (default 2,000), the
     *     server's hubs (default 2)
     * @throws Exception if the run could not be set up
     */
    public static void main(String[] args) throws Exception {
        SoakConfig config = SoakConfig.standard()
                .withDuration(Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 60))
                .withConnections(args.length > 1 ? Integer.parseInt(args[1]) : 2000)
                .withServerHubs(args.length > 2 ? Integer.parseInt(args[2]) : 2);
        SoakReport report;
        try (Hub hub = Gevent.getHub()) {
            report = new EchoSoak(config).run();
            System.out.println("loop: " + hub.loopName());
        }
        System.out.println(report);
        System.exit(report.problems().isEmpty() ? 0 : 1);
    }
}
