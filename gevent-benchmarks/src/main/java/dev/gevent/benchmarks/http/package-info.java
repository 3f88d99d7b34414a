/**
 * The HTTP load benchmark: a closed-loop keep-alive load generator ({@link dev.gevent.benchmarks.http.HttpLoad})
 * against the same hello-world handler on this project's server (one hub), the JDK's built-in
 * server with a virtual thread per exchange, and Netty's HTTP codec on one event loop.
 */
package dev.gevent.benchmarks.http;
