package dev.gevent.backend.iouring;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Native-ordered direct buffers and their addresses, for the memory the kernel reads and writes. */
final class NativeBuffers {
    private NativeBuffers() {
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
