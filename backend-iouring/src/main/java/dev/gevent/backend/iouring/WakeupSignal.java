package dev.gevent.backend.iouring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An eventfd that wakes the hub out of io_uring_enter from any thread. The loop keeps a READ of it
 * in the ring at all times; a write completes that READ, whose CQE ends the wait, and the loop
 * queues the next READ. Wakers write at most once per poll: after the first request, further ones
 * until the poll returns cost a volatile read. A request is never lost: the counter stays non-zero
 * until a READ takes it, and that READ's CQE makes a poll return. The descriptor is closed only
 * once no waker is inside its write, so a late wake-up never writes to a descriptor number reused
 * since.
 */
final class WakeupSignal {
    final int fd;
    /** 1 once a waker wrote (or is writing) since the hub's last {@link #clear()}. */
    private final AtomicInteger raised = new AtomicInteger();
    /** Wakers between their check of {@link #closed} and the end of their write. */
    private final AtomicInteger writers = new AtomicInteger();
    private volatile boolean closed;
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
        if (raised.get() == 0 && raised.compareAndSet(0, 1)) {
            writers.incrementAndGet();
            try {
                if (!closed) {
                    LibC.wake(fd, one);
                }
            } finally {
                writers.decrementAndGet();
            }
        }
    }

    /**
     * Called by the hub thread after every poll. Unlike a readiness loop's eventfd, this one is
     * drained by the ring's READ, so nothing stays to tell a later poll that a wake-up came: the
     * flag is reset whatever its state. A waker whose write lands after this makes the next poll
     * return at once (the counter completes the next READ), so no request is lost; at worst one
     * poll returns early.
     */
    void clear() {
        if (raised.get() != 0) {
            raised.set(0);
        }
    }

    /** Closes the eventfd once no waker is writing to it; later requests do nothing. */
    void close(LibC libc) {
        if (closed) {
            return;
        }
        closed = true;
        while (writers.get() != 0) {
            Thread.onSpinWait();
        }
        libc.close(fd);
    }
}
