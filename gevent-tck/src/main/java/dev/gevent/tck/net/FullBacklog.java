package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.Greenlet;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A listener on 127.0.0.1 whose accept queue is full, so that a further connect to it stays
 * pending: Linux drops the SYN of a connection to a listener whose queue holds more than its
 * backlog, and the client retransmits it for minutes. A loopback connect cannot be made to wait
 * any other way (an unroutable address would leave the machine). Other kernels may refuse or
 * complete such a connect, so a test that needs it pending is skipped there.
 */
final class FullBacklog implements AutoCloseable {
    private static final int BACKLOG = 1;
    /** Each filling connect completes at once; this only keeps a surprise from hanging the test. */
    private static final Duration FILL_TIMEOUT = Duration.ofSeconds(10);

    private final ServerSocket listener;
    private final List<Socket> queued = new ArrayList<>();

    private FullBacklog(ServerSocket listener) {
        this.listener = listener;
    }

    /**
     * @return a listener with a full accept queue, owned by the calling hub
     * @throws org.opentest4j.TestAbortedException (skips the test) on a kernel other than Linux
     */
    static FullBacklog open() throws IOException {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "only Linux is known to leave a connect to a full accept queue pending");
        FullBacklog full = new FullBacklog(ServerSocket.bind(new InetSocketAddress(ConnectedPair.LOOPBACK, 0), BACKLOG, false));
        try {
            // Linux counts the queue full once it holds more than the backlog.
            for (int i = 0; i <= BACKLOG; i++) {
                full.queued.add(Socket.connect(full.address(), FILL_TIMEOUT));
            }
        } catch (IOException | RuntimeException | Error e) {
            full.close();
            throw e;
        }
        return full;
    }

    /** @return where to connect to get a connect that waits */
    InetSocketAddress address() {
        return listener.localAddress();
    }

    /**
     * Skips the test if the connect that {@code connector} made already ended: the kernel did not
     * leave it pending.
     */
    static void assumePending(Greenlet<?> connector) {
        assumeFalse(connector.dead(), () -> "the kernel ended a connect to a full accept queue at once: "
                + (connector.successful() ? "connected" : connector.exception()));
    }

    @Override
    public void close() throws IOException {
        for (Socket s : queued) {
            s.close();
        }
        listener.close();
    }
}
