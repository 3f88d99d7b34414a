package dev.gevent.backend.iouring;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The native memory one loop reuses for its synchronous calls, so that none allocates: a
 * {@code sockaddr_storage} with its length, room for an option value, and the libc binding whose
 * errno they share. Hub thread only; the buffers are freed with the loop.
 */
final class Scratch {
    final LibC libc;
    final ByteBuffer address = allocate(Linux.SOCKADDR_STORAGE);
    final long addressPointer = address(address);
    /** A {@code socklen_t}, in and out of the calls that fill {@link #address} or {@link #option}. */
    final ByteBuffer length = allocate(Integer.BYTES);
    final long lengthPointer = address(length);
    /** An option value: an int, a {@code struct linger} or a {@code struct ip_mreqn}. */
    final ByteBuffer option = allocate(16);
    final long optionPointer = address(option);

    Scratch(LibC libc) {
        this.libc = libc;
    }

    /** @return a native-ordered direct buffer of {@code size} bytes, zeroed */
    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** @return the address of a direct buffer's first byte (not of its position) */
    static long address(ByteBuffer direct) {
        // ofBuffer starts the segment at the position; no duplicate of the buffer is needed
        return MemorySegment.ofBuffer(direct).address() - direct.position();
    }

    /** @return the address of a direct buffer's byte at {@code position} */
    static long address(ByteBuffer direct, int position) {
        return address(direct) + position;
    }
}
