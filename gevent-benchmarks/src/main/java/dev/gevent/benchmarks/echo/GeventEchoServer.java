package dev.gevent.benchmarks.echo;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.server.StreamServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The echo server of the library under test: a {@link StreamServer} on the main thread's hub, so
 * that the listener and every connection's handler greenlet share one platform thread and one
 * event loop; or, given a number of hubs N, the thread-per-core server
 * ({@link StreamServer#hubs(int)}): N hubs of their own, each with a SO_REUSEPORT listener on the
 * port, each connection served on the hub that accepted it. The loop is the one {@code -Dgevent.loop} names ({@code nio} or {@code epoll}: the jar
 * carries both); without it, the hub's default, which is {@code epoll} wherever that can run.
 *
 * <pre>{@code
 * java --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *     --sun-misc-unsafe-memory-access=allow -Dgevent.loop=nio \
 *     -cp benchmarks.jar dev.gevent.benchmarks.echo.GeventEchoServer port [bufferBytes] [hubs]
 * }</pre>
 *
 * <p>The epoll loop's jnr-ffi uses {@code sun.misc.Unsafe}, hence the flag that allows it.
 *
 * <p>It listens on the loopback address (port 0: any free port), prints
 * {@code listening on PORT (LOOP loop)} once it accepts connections, LOOP being the name of the
 * loop the hub really runs, and serves until it is killed. Each connection is echoed by an
 * {@link EchoHandler} with a buffer of {@code bufferBytes} (default 8,192). {@code hubs} is 0 (the
 * default: the main thread's hub) or N.
 */
public final class GeventEchoServer {
    private GeventEchoServer() {
    }

    /**
     * Serves until the process is killed.
     *
     * @param args the port, then optionally the per-connection buffer size in bytes and the number
     *     of hubs (0: the main thread's)
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int bufferBytes = args.length > 1 ? Integer.parseInt(args[1]) : 8192;
        int hubs = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Hub hub = Gevent.getHub();
        StreamServer server = new StreamServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                new EchoHandler(bufferBytes));
        if (hubs > 0) {
            server.hubs(hubs);
        }
        server.start();
        System.out.println("listening on " + server.address().getPort() + " (" + hub.loopName() + " loop)");
        System.out.println(hubs > 0 ? "gevent StreamServer, " + hubs + " hub(s) of its own with SO_REUSEPORT listeners"
                : "gevent StreamServer, one hub");
        server.serveForever();
    }
}
