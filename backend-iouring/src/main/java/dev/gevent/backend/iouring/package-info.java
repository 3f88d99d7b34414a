/**
 * The {@code io_uring} loop: Linux io_uring(7), completion based, called through
 * {@code java.lang.foreign} (no native library of its own, no liburing). Internal: only the
 * {@link dev.gevent.backend.iouring.IoUringLoopProvider} is meant to be found, by
 * {@link java.util.ServiceLoader}.
 */
package dev.gevent.backend.iouring;
