package dev.gevent.benchmarks.echo;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;

/**
 * The echo benchmark's native peer: Netty 4.2 on its native epoll transport
 * ({@link EpollIoHandler}: {@code epoll} through Netty's own JNI library for Linux x86-64,
 * level-triggered, as every 4.2 release is), the {@link NettyEcho} server with one event loop (or N).
 *
 * <pre>{@code
 * java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *     -cp benchmarks.jar dev.gevent.benchmarks.echo.NettyEpollEchoServer port [loops]
 * }</pre>
 *
 * <p>It listens on the loopback address (port 0: any free port), prints
 * {@code listening on PORT (EpollServerSocketChannel)} once it accepts connections, and serves
 * until it is killed. Where Netty cannot load its native library (another operating system or
 * architecture, a library missing from the class path, a temporary directory it may not load
 * from), it fails at once with Netty's reason rather than fall back to another transport.
 */
public final class NettyEpollEchoServer {
    private NettyEpollEchoServer() {
    }

    /**
     * Serves until the process is killed.
     *
     * @param args the port, then optionally the number of event loops (default 1)
     * @throws InterruptedException if interrupted while serving
     * @throws IllegalStateException if Netty's native epoll transport is unavailable here
     */
    public static void main(String[] args) throws InterruptedException {
        if (!Epoll.isAvailable()) {
            Throwable cause = Epoll.unavailabilityCause();
            throw new IllegalStateException("Netty's native epoll transport is unavailable: " + cause, cause);
        }
        NettyEcho.serve(Integer.parseInt(args[0]), NettyEcho.loops(args), "native epoll", EpollIoHandler.newFactory(),
                EpollServerSocketChannel.class);
    }
}
