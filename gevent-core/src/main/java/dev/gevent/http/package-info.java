/**
 * An HTTP/1.1 server for the JDK's {@code com.sun.net.httpserver} handlers, on greenlets (gevent:
 * {@code gevent.pywsgi}): {@link dev.gevent.http.HttpServer}, {@link dev.gevent.http.HttpsServer},
 * and {@link dev.gevent.http.GeventHttpServerProvider}, which makes the JDK's
 * {@code HttpServer.create} return them.
 */
package dev.gevent.http;
