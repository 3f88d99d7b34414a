/**
 * The TCK's TLS section (gevent: {@code gevent.ssl}): {@link dev.gevent.ssl.SslSocket} over
 * cooperative sockets: echo of every size in both directions at once, the handshake run explicitly
 * or by the first read or write, interoperation with the JDK's blocking {@code SSLSocket} and
 * {@code SSLServerSocket} and with {@code openssl s_client}, certificate and host name failures,
 * timeouts and kills that leave the loop clean, {@code close_notify}, half-close and ragged EOFs.
 * Certificates come from {@link dev.gevent.tck.ssl.SelfSignedCertificate}. Loopback only,
 * ephemeral ports, no sleeps.
 */
package dev.gevent.tck.ssl;
