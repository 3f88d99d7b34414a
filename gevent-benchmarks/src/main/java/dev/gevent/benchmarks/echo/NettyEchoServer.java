package dev.gevent.benchmarks.echo;

import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The peer the echo benchmark compares against: Netty 4.2 on its NIO transport
 * ({@link NioIoHandler}), the {@link NettyEcho} server with one event loop (or N).
 *
 * <pre>{@code
 * java --sun-misc-unsafe-memory-access=allow -cp benchmarks.jar dev.gevent.benchmarks.echo.NettyEchoServer port [loops]
 * }</pre>
 *
 * <p>It listens on the loopback address (port 0: any free port), prints
 * {@code listening on PORT (NioServerSocketChannel)} once it accepts connections, and serves until
 * it is killed.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    /**
     * Serves until the process is killed.
     *
     * @param args the port, then optionally the number of event loops (default 1)
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        NettyEcho.serve(Integer.parseInt(args[0]), NettyEcho.loops(args), "NIO", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
