package dev.gevent.benchmarks.echo;

import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * The echo benchmark's completion-based peer: Netty 4.2 on its native io_uring transport
 * ({@link IoUringIoHandler}: io_uring through Netty's own JNI library for Linux x86-64), the
 * {@link NettyEcho} server with one event loop (or N).
 *
 * <pre>{@code
 * java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *     -cp benchmarks.jar dev.gevent.benchmarks.echo.NettyIoUringEchoServer port [loops]
 * }</pre>
 *
 * <p>It listens on the loopback address (port 0: any free port), prints
 * {@code listening on PORT (IoUringServerSocketChannel)} once it accepts connections, and serves
 * until it is killed. Where Netty cannot use io_uring (another operating system or architecture,
 * a kernel without it, io_uring disabled or filtered), it fails at once with Netty's reason rather
 * than fall back to another transport.
 */
public final class NettyIoUringEchoServer {
    private NettyIoUringEchoServer() {
    }

    /**
     * Serves until the process is killed.
     *
     * @param args the port, then optionally the number of event loops (default 1)
     * @throws InterruptedException if interrupted while serving
     * @throws IllegalStateException if Netty's io_uring transport is unavailable here
     */
    public static void main(String[] args) throws InterruptedException {
        if (!IoUring.isAvailable()) {
            Throwable cause = IoUring.unavailabilityCause();
            throw new IllegalStateException("Netty's io_uring transport is unavailable: " + cause, cause);
        }
        NettyEcho.serve(Integer.parseInt(args[0]), NettyEcho.loops(args), "native io_uring", IoUringIoHandler.newFactory(),
                IoUringServerSocketChannel.class);
    }
}
