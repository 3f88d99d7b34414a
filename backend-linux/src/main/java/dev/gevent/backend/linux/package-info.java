/**
 * What the Linux loop backends share whatever binds them to libc: the ABI constants
 * ({@link dev.gevent.backend.linux.Linux}), the errno to JDK exception mapping
 * ({@link dev.gevent.backend.linux.Errno}), the {@code sockaddr} codec
 * ({@link dev.gevent.backend.linux.SockAddr}), the socket option table
 * ({@link dev.gevent.backend.linux.SocketOptions}) and the synchronous socket calls
 * ({@link dev.gevent.backend.linux.LinuxSockets}: open, bind, listen, options, addresses, shutdown,
 * close), all on the few raw calls a backend's binding provides through
 * {@link dev.gevent.backend.linux.SocketCalls}.
 *
 * <p><b>Internal, not public API</b>: backend-epoll-jnr and backend-iouring depend on it, and an
 * author of a Linux backend on another FFI may reuse it, but its names and signatures change with
 * those backends, without notice. Plain Java: no FFI dependency; native memory is native-ordered
 * direct {@link java.nio.ByteBuffer}s with their addresses. Hot paths (read, write, poll) do not
 * go through it, except for its static, monomorphic helpers.
 */
package dev.gevent.backend.linux;
