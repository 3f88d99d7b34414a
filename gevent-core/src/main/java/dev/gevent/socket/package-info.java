/**
 * Cooperative sockets (gevent: {@code gevent.socket}): {@link dev.gevent.socket.Socket},
 * {@link dev.gevent.socket.ServerSocket}, {@link dev.gevent.socket.DatagramSocket} and the
 * resolver {@link dev.gevent.socket.Dns}. An operation that would block parks only the calling
 * greenlet until the hub's loop completes it; the other greenlets of the hub run meanwhile.
 *
 * <p>A socket belongs to the hub that opened it (or accepted it) and is used by that hub's
 * greenlets; using it from another thread is an {@link IllegalStateException}, except
 * {@code close()}, which any thread may call. One greenlet may read while another writes (full
 * duplex); two greenlets reading, or two writing, one socket at once is an
 * {@link IllegalStateException}, as gevent raises {@code ConcurrentObjectUseError}.
 */
package dev.gevent.socket;
