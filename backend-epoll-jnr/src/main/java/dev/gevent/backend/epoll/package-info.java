/**
 * The {@code epoll} event loop: Linux epoll(7) and raw non-blocking socket descriptors (IPv4, IPv6
 * and Unix domain), calling libc through jnr-ffi. Only
 * {@link dev.gevent.backend.epoll.EpollLoopProvider} is public (and {@link dev.gevent.backend.epoll.LibC},
 * which jnr-ffi must be able to implement); the loop is reached through
 * {@link dev.gevent.spi.LoopProvider}.
 */
package dev.gevent.backend.epoll;
