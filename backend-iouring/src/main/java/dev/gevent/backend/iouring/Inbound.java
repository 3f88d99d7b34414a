package dev.gevent.backend.iouring;

import java.nio.ByteBuffer;

/**
 * Bytes a socket's multishot receive put into provided buffers before a read asked for them, in
 * the order they arrived: each a buffer id with the offset and length of what is left of it. A
 * buffer goes back to the kernel as soon as its last byte is read. Hub thread only.
 */
final class Inbound {
    private int[] bids = new int[4];
    private int[] offsets = new int[4];
    private int[] lengths = new int[4];
    private int head;
    private int count;
    /** The bytes waiting, over all the buffers. */
    int bytes;

    boolean isEmpty() {
        return count == 0;
    }

    /** @return how many buffers hold bytes that wait */
    int buffers() {
        return count;
    }

    /** Queues {@code length} bytes at {@code offset} of buffer {@code bid}. */
    void add(int bid, int offset, int length) {
        if (count == bids.length) {
            grow();
        }
        int at = (head + count) & (bids.length - 1);
        bids[at] = bid;
        offsets[at] = offset;
        lengths[at] = length;
        count++;
        bytes += length;
    }

    /**
     * Moves what fits of the waiting bytes into {@code dst}, giving each emptied buffer back.
     *
     * @return the bytes moved
     */
    int take(ByteBuffer dst, ProvidedBuffers provided) {
        int moved = 0;
        while (count > 0 && dst.hasRemaining()) {
            int n = Math.min(lengths[head], dst.remaining());
            provided.copy(bids[head], offsets[head], dst, n);
            moved += n;
            bytes -= n;
            if (n == lengths[head]) {
                provided.give(bids[head]);
                head = (head + 1) & (bids.length - 1);
                count--;
            } else {
                offsets[head] += n;
                lengths[head] -= n;
            }
        }
        return moved;
    }

    /** Gives every buffer back, dropping its bytes: the socket is closed. */
    void clear(ProvidedBuffers provided) {
        for (; count > 0; count--) {
            provided.give(bids[head]);
            head = (head + 1) & (bids.length - 1);
        }
        bytes = 0;
    }

    private void grow() {
        int[] newBids = new int[bids.length * 2];
        int[] newOffsets = new int[bids.length * 2];
        int[] newLengths = new int[bids.length * 2];
        for (int i = 0; i < count; i++) {
            int at = (head + i) & (bids.length - 1);
            newBids[i] = bids[at];
            newOffsets[i] = offsets[at];
            newLengths[i] = lengths[at];
        }
        bids = newBids;
        offsets = newOffsets;
        lengths = newLengths;
        head = 0;
    }
}
