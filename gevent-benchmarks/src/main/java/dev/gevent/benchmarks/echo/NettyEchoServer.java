package dev.gevent.benchmarks.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.internal.PlatformDependent;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The peer the echo benchmark compares against: Netty 4.2 on its NIO transport with a single
 * event loop, which both accepts and serves every connection, so that it runs on one thread as a
 * hub does. The handler is Netty's own example echo: each buffer read is written back, and the
 * writes are flushed once the read burst ends. Buffers come from the pooled allocator, direct
 * ones; TCP_NODELAY is set.
 *
 * <pre>{@code
 * java --sun-misc-unsafe-memory-access=allow -cp benchmarks.jar dev.gevent.benchmarks.echo.NettyEchoServer port
 * }</pre>
 *
 * <p>It listens on the loopback address (port 0: any free port), prints {@code listening on PORT}
 * once it accepts connections, then a line saying whether Netty found {@code sun.misc.Unsafe}
 * (its fastest buffers need it), and serves until it is killed.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    /**
     * Serves until the process is killed.
     *
     * @param args the port
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childHandler(new Echo())
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .sync()
                    .channel();
            System.out.println("listening on " + ((InetSocketAddress) listener.localAddress()).getPort());
            System.out.println("Netty NIO, one event loop, pooled direct buffers, unsafe: " + PlatformDependent.hasUnsafe());
            listener.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Netty's example echo handler; stateless, so one instance serves every connection. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("connection failed: " + cause);
            ctx.close();
        }
    }
}
