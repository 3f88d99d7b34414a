/**
 * Servers (gevent: {@code gevent.server}): {@link dev.gevent.server.StreamServer} runs a handler
 * greenlet per TCP (or TLS, or Unix domain) connection, {@link dev.gevent.server.DatagramServer}
 * one per UDP datagram. A server belongs to the hub that starts it; {@code stop()} may be called
 * from any thread.
 */
package dev.gevent.server;
