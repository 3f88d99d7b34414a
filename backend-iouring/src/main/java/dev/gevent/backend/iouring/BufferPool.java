package dev.gevent.backend.iouring;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers that stand in for heap buffers while the kernel reads or writes them: an
 * operation in flight holds its own (the kernel may write into it until its CQE, even after a
 * cancel), so one bounce buffer per loop, as a readiness loop has, would not do. Sizes are powers of
 * two from 4 KiB to {@link #MAX} (a larger heap buffer is read or written {@link #MAX} bytes at a
 * time, as the contract allows a short transfer); each size keeps up to {@link #KEEP} free
 * buffers. Hub thread only.
 */
final class BufferPool {
    /** Large enough for any UDP payload, so a datagram never has to be split. */
    static final int MAX = 64 * 1024;
    private static final int MIN_SHIFT = 12;
    private static final int CLASSES = 5;
    private static final int KEEP = 64;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<ByteBuffer>[] free = new ArrayDeque[CLASSES];

    BufferPool() {
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /** @return a cleared direct buffer of at least {@code size} bytes (at most {@link #MAX}) */
    ByteBuffer take(int size) {
        int sizeClass = sizeClass(Math.min(size, MAX));
        ByteBuffer buffer = free[sizeClass].pollLast();
        return buffer != null ? buffer.clear() : NativeBuffers.allocate(1 << (sizeClass + MIN_SHIFT));
    }

    /** Takes back a buffer the kernel is done with. */
    void give(ByteBuffer buffer) {
        ArrayDeque<ByteBuffer> list = free[sizeClass(buffer.capacity())];
        if (list.size() < KEEP) {
            list.addLast(buffer);
        }
    }

    private static int sizeClass(int size) {
        int shift = 32 - Integer.numberOfLeadingZeros(Math.max(size, 1 << MIN_SHIFT) - 1);
        return shift - MIN_SHIFT;
    }
}
