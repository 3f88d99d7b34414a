/**
 * The {@code nio} event loop: the portable backend on {@link java.nio.channels.Selector} and
 * non-blocking socket channels. Only {@link dev.gevent.backend.nio.NioLoopProvider} is public; the
 * loop is reached through {@link dev.gevent.spi.LoopProvider}.
 */
package dev.gevent.backend.nio;
