package dev.gevent.benchmarks.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.internal.PlatformDependent;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The Netty echo server that {@link NettyEchoServer} and {@link NettyEpollEchoServer} run, each on
 * its own transport: a single event loop, which both accepts and serves every connection, so that
 * it runs on one thread as a hub does. The handler is Netty's own example echo: each buffer read is
 * written back, and the writes are flushed once the read burst ends. Buffers come from the pooled
 * allocator, direct ones; TCP_NODELAY is set.
 */
final class NettyEcho {
    private NettyEcho() {
    }

    /**
     * @param args the server's arguments: the port, then optionally the number of event loops
     * @return the number of event loops (default 1)
     */
    static int loops(String[] args) {
        return args.length > 1 ? Integer.parseInt(args[1]) : 1;
    }

    /**
     * Listens on the loopback address and serves until the process is killed. Prints
     * {@code listening on PORT (CHANNEL)} once it accepts connections, CHANNEL being the class of
     * the listening channel (which names the transport that is really in use), then a line saying
     * whether Netty found {@code sun.misc.Unsafe} (its fastest buffers need it).
     *
     * @param port the port; 0 for any free one
     * @param loops the number of event loops
     * @param transport the transport's name, for the second line
     * @param ioHandler the factory of the event loop's I/O handler
     * @param listenerClass the transport's server channel
     * @throws InterruptedException if interrupted while serving
     */
    static void serve(int port, int loops, String transport, IoHandlerFactory ioHandler,
            Class<? extends ServerChannel> listenerClass) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, ioHandler);
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(listenerClass)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childHandler(new Echo())
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .sync()
                    .channel();
            System.out.println("listening on " + ((InetSocketAddress) listener.localAddress()).getPort()
                    + " (" + listener.getClass().getSimpleName() + ")");
            System.out.println("Netty " + transport + ", " + loops + " event loop(s), pooled direct buffers, unsafe: "
                    + PlatformDependent.hasUnsafe());
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
