/**
 * TLS over cooperative sockets (gevent: {@code gevent.ssl}): {@link dev.gevent.ssl.SslSocket} runs
 * the JDK's {@link javax.net.ssl.SSLEngine} over a {@link dev.gevent.socket.Socket}, so that a TLS
 * handshake, read or write blocks only the calling greenlet. Certificates, trust, protocols and
 * cipher suites come from the {@link javax.net.ssl.SSLContext} given to it, as gevent takes them
 * from an {@code ssl.SSLContext}.
 */
package dev.gevent.ssl;
