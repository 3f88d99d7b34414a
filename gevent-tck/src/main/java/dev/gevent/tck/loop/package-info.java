/**
 * The TCK's loop SPI section: {@link dev.gevent.spi.EventLoop} and {@link dev.gevent.spi.Transport}
 * tested through the SPI alone, so that every backend is held to the same semantics. Each test
 * opens the loop under test ({@link dev.gevent.tck.TckConfig#openLoop()}) on the JUnit thread and
 * drives {@code poll} itself: the test thread is the hub thread. Peers are plain blocking
 * {@code java.net} sockets on helper threads, or a second socket of the same transport. Loopback
 * only, ephemeral ports, no sleeps.
 */
package dev.gevent.tck.loop;
