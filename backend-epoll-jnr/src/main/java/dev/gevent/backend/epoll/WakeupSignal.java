package dev.gevent.backend.epoll;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An eventfd in the loop's epoll set that wakes {@code epoll_wait} from any thread, written at
 * most once per poll: after the first request, further ones until the poll returns cost a volatile
 * read. A request is never lost: the eventfd stays readable until the hub drains it, which it does
 * only after the poll that saw it, so whoever queued work before requesting sees it picked up by
 * the hub's next look at its queues. The descriptor is closed only once no writer is inside
 * {@link #raise()}, so a late wake-up never writes to a descriptor number reused since.
 */
final class WakeupSignal {
    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int RAISED = 2;
    private static final int CLOSED = 3;

    final int fd;
    private final LibC libc = Native.LIBC;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    /** Holds the 1 every waker writes; only read from, so wakers share it. */
    private final long one;
    /** Where the hub reads the counter into. */
    private final long drain;
    /** Keep the native memory of {@link #one} and {@link #drain} alive as long as the signal. */
    private final ByteBuffer oneBuffer = Native.allocate(Long.BYTES).putLong(0, 1);
    private final ByteBuffer drainBuffer = Native.allocate(Long.BYTES);

    /** @param fd a non-blocking eventfd, closed by {@link #close()} */
    WakeupSignal(int fd) {
        this.fd = fd;
        this.one = Native.address(oneBuffer);
        this.drain = Native.address(drainBuffer);
    }

    /** Any thread. */
    void raise() {
        if (state.get() == IDLE && state.compareAndSet(IDLE, WRITING)) {
            libc.write(fd, one, Long.BYTES);
            state.set(RAISED);
        }
    }

    /**
     * Called by the hub thread after every poll. A waker still writing is left alone: its write
     * makes the next poll return at once, and that poll's clear drains it.
     */
    void clear() {
        if (state.get() == RAISED) {
            libc.read(fd, drain, Long.BYTES);
            state.set(IDLE);
        }
    }

    /** Closes the eventfd once no waker is writing to it; later requests do nothing. */
    void close() {
        for (;;) {
            int now = state.get();
            if (now == CLOSED) {
                return;
            }
            if (now == WRITING) {
                Thread.onSpinWait();
            } else if (state.compareAndSet(now, CLOSED)) {
                libc.close(fd);
                return;
            }
        }
    }
}
