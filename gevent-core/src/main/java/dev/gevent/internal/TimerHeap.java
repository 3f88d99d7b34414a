package dev.gevent.internal;

import java.util.Arrays;

/**
 * A 4-ary min-heap of timers ordered by deadline, then by insertion: O(log n) add and cancel,
 * O(1) peek. A 4-ary heap is shallower than a binary one and touches fewer cache lines per sift.
 * Hub thread only.
 */
final class TimerHeap {
    private Timer[] heap = new Timer[64];
    private int size;
    private long nextSeq;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return the earliest timer, or null */
    Timer peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Timer t, long deadline) {
        if (t.index >= 0) {
            throw new IllegalStateException("timer already scheduled");
        }
        t.deadline = deadline;
        t.seq = nextSeq++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, t);
    }

    /** @return true if {@code t} was in the heap */
    boolean remove(Timer t) {
        int i = t.index;
        if (i < 0) {
            return false;
        }
        t.index = -1;
        Timer last = heap[--size];
        heap[size] = null;
        if (i != size) {
            if (less(last, t)) {
                siftUp(i, last);
            } else {
                siftDown(i, last);
            }
        }
        return true;
    }

    /** Removes and returns the earliest timer if its deadline is at or before {@code now}, else null. */
    Timer pollExpired(long now) {
        if (size == 0 || heap[0].deadline - now > 0) {
            return null;
        }
        Timer t = heap[0];
        remove(t);
        return t;
    }

    private static boolean less(Timer a, Timer b) {
        long d = a.deadline - b.deadline;
        return d < 0 || (d == 0 && a.seq < b.seq);
    }

    private void siftUp(int i, Timer t) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            Timer p = heap[parent];
            if (!less(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i, Timer t) {
        while (true) {
            int first = (i << 2) + 1;
            if (first >= size) {
                break;
            }
            int best = first;
            int end = Math.min(first + 4, size);
            for (int c = first + 1; c < end; c++) {
                if (less(heap[c], heap[best])) {
                    best = c;
                }
            }
            if (!less(heap[best], t)) {
                break;
            }
            heap[i] = heap[best];
            heap[i].index = i;
            i = best;
        }
        heap[i] = t;
        t.index = i;
    }
}
