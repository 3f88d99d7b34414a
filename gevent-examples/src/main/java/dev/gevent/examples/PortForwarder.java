package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.pool.Group;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.Dns;
import dev.gevent.socket.Socket;
import dev.gevent.socket.StreamSocket;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * gevent's {@code examples/portforwarder.py}: a {@link StreamServer} on 127.0.0.1 that connects
 * each client to a target and copies bytes both ways with two greenlets, one per direction.
 *
 * <p>When one side closes its output, the forwarder closes its output to the other side (a
 * half-close), so that side may still answer: a client that sends a request and then shuts its
 * output gets the whole reply. When both directions have ended, both connections are closed. A
 * reset or a failed write on either side closes both at once. A client whose target cannot be
 * reached is disconnected.
 *
 * <p>The target's host is resolved once, at start, as gevent's example does. As there,
 * {@code SIGTERM} or {@code SIGINT} closes the listener and lets the open connections finish (for
 * at most {@value #GRACE_SECONDS} s); a second one ends the process at once.
 *
 * <p>Run: {@code java -jar gevent-examples.jar portforwarder LISTEN_PORT TARGET_HOST:TARGET_PORT},
 * for example {@code portforwarder 8080 example.org:80}. Port 0 picks a free port; the first line
 * printed, {@code portforwarder: listening on 127.0.0.1:PORT ...}, names it.
 */
public final class PortForwarder {
    /** The arguments after the example's name. */
    public static final String USAGE = "LISTEN_PORT TARGET_HOST:TARGET_PORT";

    static final int GRACE_SECONDS = 10;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int BUFFER_SIZE = 16 * 1024;

    private PortForwarder() {
    }

    /**
     * Parsed arguments.
     *
     * @param listenPort where to listen on 127.0.0.1; 0 for any free port
     * @param target where to forward to, unresolved
     */
    public record Options(int listenPort, InetSocketAddress target) {
    }

    /**
     * @param args {@value #USAGE}
     * @return the options
     * @throws IllegalArgumentException (an {@code Args.Bad}) naming what is wrong
     */
    public static Options parse(String[] args) {
        if (args.length != 2) {
            throw new Args.Bad("expected LISTEN_PORT and TARGET_HOST:TARGET_PORT, got " + args.length + " arguments");
        }
        return new Options(Args.port(args[0]), Args.hostPort(args[1]));
    }

    /**
     * Runs the forwarder in the calling platform thread, as its hub's main greenlet, until a
     * signal stops it and the last connection has ended.
     *
     * @param args {@value #USAGE}
     * @throws java.net.UnknownHostException if the target's host does not resolve
     * @throws IOException if it cannot listen
     */
    public static void main(String[] args) throws IOException {
        Options options = parse(args);
        try (Hub hub = Gevent.getHub()) {
            StreamServer server = start(options, System.out);
            Runnable shutdown = () -> {
                System.out.println("portforwarder: closing the listener; waiting up to " + GRACE_SECONDS
                        + " s for open connections");
                server.stop(Duration.ofSeconds(GRACE_SECONDS));
            };
            SignalStop.serveUntilSignalled(server, shutdown);
            hub.join();
        }
    }

    /**
     * Resolves the target and starts the forwarder in the calling thread's hub, and returns at
     * once; stop it with {@link StreamServer#stop()} or {@link StreamServer#stop(Duration)}.
     *
     * @param options where to listen and forward to
     * @param log where the listening line and each connection are logged
     * @return the started server; {@link StreamServer#address()} has the bound port
     * @throws java.net.UnknownHostException if the target's host does not resolve
     * @throws IOException if it cannot listen
     */
    public static StreamServer start(Options options, PrintStream log) throws IOException {
        InetAddress host = Dns.getByName(options.target().getHostString());
        InetSocketAddress target = new InetSocketAddress(host, options.target().getPort());
        StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", options.listenPort()),
                (source, peer) -> forward(source, peer, target, log));
        server.start();
        log.println("portforwarder: listening on 127.0.0.1:" + server.address().getPort() + ", forwarding to " + target
                + " (loop " + Gevent.getHub().loopName() + ")");
        return server;
    }

    private static void forward(StreamSocket source, SocketAddress peer, InetSocketAddress target, PrintStream log) {
        log.println(peer + " accepted");
        Socket dest;
        try {
            dest = Socket.connect(target, CONNECT_TIMEOUT);
        } catch (IOException e) {
            log.println(peer + " failed to connect to " + target + ": " + e);
            return;
        }
        AtomicLong up = new AtomicLong();
        AtomicLong down = new AtomicLong();
        // The Group kills and joins both copies if this handler is killed (a stop with a grace
        // period that ran out), so that neither outlives the connection it copies.
        try (Group copies = new Group(); dest) {
            copies.spawn(() -> copy(source, dest, up));
            copies.spawn(() -> copy(dest, source, down));
            copies.join();
        } catch (IOException e) {
            log.println(peer + " closing " + target + " failed: " + e);
        }
        log.println(peer + " closed: " + up.get() + " bytes to " + target + ", " + down.get() + " bytes back");
    }

    /**
     * Copies {@code from} to {@code to} until {@code from} ends, then ends {@code to}'s output.
     * A failure on either ends the whole connection: closing both wakes the other direction's
     * greenlet, blocked in a read.
     */
    private static void copy(StreamSocket from, StreamSocket to, AtomicLong count) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                buffer.flip();
                to.writeFully(buffer);
                buffer.clear();
                count.addAndGet(n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(StreamSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed all the same; the copy that failed already ended the connection
        }
    }
}
