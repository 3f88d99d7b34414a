package dev.gevent.backend.iouring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An eventfd that wakes the hub out of io_uring_enter from any thread. The loop keeps a READ of it
 * in the ring at all times; a write completes that READ, whose CQE ends the wait, and the loop
 * queues the next READ. A writer writes at most once per poll: after the first request, further
 * ones until the poll returns cost a volatile read. A request is never lost: the counter stays
 * non-zero until a READ takes it, and that READ's CQE makes the poll return. The descriptor is
 * closed only once no writer is inside {@link #raise()}, so a late wake-up never writes to a
 * descriptor number reused since.
 */
final class WakeupSignal {
    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int RAISED = 2;
    private static final int CLOSED = 3;

    final int fd;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    /** Holds the 1 every waker writes; only read from, so wakers share it. */
    private final long one;
    /** Where the ring's READ puts the counter. */
    final long sink;

    /** @param fd a blocking eventfd (a READ of it must wait in the ring), closed by {@link #close(LibC)} */
    WakeupSignal(int fd, Arena arena) {
        this.fd = fd;
        MemorySegment memory = arena.allocate(2 * Long.BYTES, Long.BYTES);
        memory.set(ValueLayout.JAVA_LONG, 0, 1L);
        this.one = memory.address();
        this.sink = memory.address() + Long.BYTES;
    }

    /** Any thread. */
    void raise() {
        if (state.get() == IDLE && state.compareAndSet(IDLE, WRITING)) {
            LibC.wake(fd, one);
            state.set(RAISED);
        }
    }

    /**
     * Called by the hub thread after every poll. A waker still writing is left alone: its write
     * completes the READ, which makes the next poll return at once, and that poll's clear resets.
     */
    void clear() {
        if (state.get() == RAISED) {
            state.set(IDLE);
        }
    }

    /** Closes the eventfd once no waker is writing to it; later requests do nothing. */
    void close(LibC libc) {
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
