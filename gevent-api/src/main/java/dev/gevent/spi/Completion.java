package dev.gevent.spi;

import java.io.IOException;

/**
 * Receives the outcome of one pending {@link Transport} operation. It is called once per
 * operation that returned {@link Transport#PENDING}, on the hub thread, from
 * {@link EventLoop#poll} or from {@link Transport#close}; never after a successful
 * {@link Transport#cancel}. It must not block. One object may serve many operations in turn (a
 * socket keeps one per direction), so a backend allocates nothing per operation.
 */
public interface Completion {
    /**
     * The operation succeeded.
     *
     * @param result bytes transferred (read: -1 at end of stream), or 0 for connect
     * @param value the accepted {@link SocketHandle} for accept, the sender's address for
     *     receiveFrom, otherwise null
     */
    void complete(long result, Object value);

    /**
     * The operation failed.
     *
     * @param error the failure; {@link java.nio.channels.AsynchronousCloseException} when the
     *     socket was closed while it was pending
     */
    void fail(IOException error);
}
