package dev.gevent.server;

import dev.gevent.Gevent;
import dev.gevent.socket.DatagramSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;

/**
 * A UDP server that runs a {@link DatagramHandler} in a greenlet per datagram (gevent:
 * {@code gevent.server.DatagramServer}). Handlers reply through the server's socket; several
 * replying at once take turns on it.
 *
 * <p>{@link #start()} binds and starts the receive loop in the calling thread's hub;
 * {@link #serveForever()} starts if needed and blocks the calling greenlet until stopped;
 * {@link #stop()} closes the socket (handlers still running find it closed when they reply). A
 * stopped server cannot be started again. The hub that starts the server owns it; {@code stop} may
 * be called from any thread. A receive that fails for another reason than the server stopping is
 * reported to the hub's error handler and retried after 10 ms.
 */
public class DatagramServer extends BaseServer {
    /** The largest UDP payload over IPv4. */
    static final int MAX_DATAGRAM = 65_507;
    private static final Duration RECEIVE_RETRY = Duration.ofMillis(10);

    private final DatagramHandler handler;
    private DatagramSocket socket;

    /**
     * @param listen where to listen (port 0: any free port; see {@link #address()} after start)
     * @param handler what handles each datagram
     */
    public DatagramServer(SocketAddress listen, DatagramHandler handler) {
        super(listen);
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    SocketAddress open() throws IOException {
        socket = DatagramSocket.bind(listen);
        return socket.localAddress();
    }

    @Override
    void closeSocket() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }

    @Override
    void serve() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (!stopped()) {
            SocketAddress peer;
            buffer.clear();
            try {
                peer = socket.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopped()) {
                    return;
                }
                hub.reportError(this, e);
                Gevent.sleep(RECEIVE_RETRY);
                continue;
            }
            buffer.flip();
            ByteBuffer data = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
            DatagramSocket s = socket;
            Gevent.spawn(() -> handler.handle(data, peer, s));
        }
    }
}
