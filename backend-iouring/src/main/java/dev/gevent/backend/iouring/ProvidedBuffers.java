package dev.gevent.backend.iouring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A ring of provided buffers (IORING_REGISTER_PBUF_RING, 5.19): equal buffers the kernel picks
 * from when a multishot RECV has data, so that a socket's receive stays armed in the kernel
 * without a buffer of its own. The kernel takes buffers from the ring's head; {@link #give} puts
 * one back at its tail once its bytes have been read. When the ring is empty a multishot RECV ends
 * with ENOBUFS. Hub thread only.
 */
final class ProvidedBuffers {
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();

    /** The buffer group id, what a RECV names in its SQE. */
    final short group;
    /** Bytes in each buffer. */
    final int size;
    private final int mask;
    private final MemorySegment ring;
    private final MemorySegment buffers;
    /** All the buffers, for copying out of them. */
    private final ByteBuffer view;
    private short tail;
    private int held;

    private ProvidedBuffers(short group, int count, int size, MemorySegment ring, MemorySegment buffers) {
        this.group = group;
        this.size = size;
        this.mask = count - 1;
        this.ring = ring;
        this.buffers = buffers;
        this.view = buffers.asByteBuffer();
        for (int bid = 0; bid < count; bid++) {
            put(bid);
        }
        publish();
    }

    /**
     * Registers a ring of {@code count} buffers of {@code size} bytes with the io_uring instance
     * {@code ringFd}, in memory of {@code arena}.
     *
     * @param count a power of two, at most 32768
     * @return the ring, or null where the kernel has none (before 5.19) or refuses it
     */
    static ProvidedBuffers register(LibC libc, int ringFd, Arena arena, short group, int count, int size) {
        requireValid(count, size);
        // The kernel maps the ring's pages: it must start on a page.
        MemorySegment ring = arena.allocate((long) count * IoUringAbi.BUF_SIZE, 4096);
        MemorySegment registration = arena.allocate(IoUringAbi.BUF_REG_SIZE, 8);
        registration.set(JAVA_LONG, 0, ring.address());
        registration.set(JAVA_INT, IoUringAbi.BUF_REG_ENTRIES, count);
        registration.set(JAVA_SHORT, IoUringAbi.BUF_REG_GROUP, group);
        if (libc.ioUringRegister(ringFd, IoUringAbi.REGISTER_PBUF_RING, registration.address(), 1) < 0) {
            return null;
        }
        return new ProvidedBuffers(group, count, size, ring, arena.allocate((long) count * size, 64));
    }

    /**
     * @throws IllegalArgumentException unless {@code count} is a power of two up to 32768 and
     *     {@code size} is positive (gevent.io_uring.receiveBuffers and receiveBufferSize)
     */
    static void requireValid(int count, int size) {
        if (Integer.bitCount(count) != 1 || count > 32768 || size <= 0 || (long) count * size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gevent.io_uring.receiveBuffers and receiveBufferSize: a power of two up"
                    + " to 32768 buffers (or 0 for none) of a positive size, 2 GiB in all at most; not " + count
                    + " buffers of " + size + " bytes");
        }
    }

    /** @return how many buffers the kernel filled that have not been given back */
    int held() {
        return held;
    }

    /**
     * Takes note of the buffer a CQE names as filled: it is held until {@link #give given} back.
     *
     * @param cqeFlags the CQE's flags, with CQE_F_BUFFER set
     * @return the buffer's id
     */
    int filled(int cqeFlags) {
        held++;
        return cqeFlags >>> IoUringAbi.CQE_BUFFER_SHIFT;
    }

    /**
     * Copies {@code length} bytes at {@code offset} of buffer {@code bid} into {@code dst} at its
     * position, and moves the position.
     */
    void copy(int bid, int offset, ByteBuffer dst, int length) {
        dst.put(dst.position(), view, bid * size + offset, length);
        dst.position(dst.position() + length);
    }

    /** Hands buffer {@code bid}, whose bytes have all been read, back to the kernel. */
    void give(int bid) {
        held--;
        put(bid);
        publish();
    }

    private void put(int bid) {
        long at = (long) (tail & mask) * IoUringAbi.BUF_SIZE;
        // Only addr, len and bid: entry 0's last field is the ring's tail.
        ring.set(JAVA_LONG, at, buffers.address() + (long) bid * size);
        ring.set(JAVA_INT, at + IoUringAbi.BUF_LEN, size);
        ring.set(JAVA_SHORT, at + IoUringAbi.BUF_BID, (short) bid);
        tail++;
    }

    private void publish() {
        SHORT.setRelease(ring, (long) IoUringAbi.BUF_RING_TAIL, tail);
    }
}
