/**
 * The echo load benchmark: a closed-loop load generator written with plain {@code java.nio}
 * ({@link dev.gevent.benchmarks.echo.EchoLoad}), the echo servers it is run against (the library's
 * {@link dev.gevent.benchmarks.echo.GeventEchoServer}, the JDK's virtual threads in
 * {@link dev.gevent.benchmarks.echo.JdkVirtualThreadEchoServer}, Netty on NIO
 * in {@link dev.gevent.benchmarks.echo.NettyEchoServer} and on its native epoll transport in
 * {@link dev.gevent.benchmarks.echo.NettyEpollEchoServer}), and the memory an idle connection costs
 * ({@link dev.gevent.benchmarks.echo.IdleConnections}). {@code scripts/bench-echo} runs the
 * contenders against each other.
 */
package dev.gevent.benchmarks.echo;
