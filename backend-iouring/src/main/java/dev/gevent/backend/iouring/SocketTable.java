package dev.gevent.backend.iouring;

import java.util.Arrays;

/**
 * The open sockets of one loop, each at an index that its operations' user_data carries, so a
 * completion finds its socket with one array read. Indexes of closed sockets are reused, last freed
 * first; a reused index is told apart by the slot's own user_data, which changes with every
 * operation.
 */
final class SocketTable {
    private IoUringSocket[] byIndex = new IoUringSocket[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;

    void add(IoUringSocket socket) {
        int index;
        if (freeCount > 0) {
            index = free[--freeCount];
        } else {
            index = used++;
            if (index == byIndex.length) {
                byIndex = Arrays.copyOf(byIndex, index * 2);
            }
        }
        socket.index = index;
        byIndex[index] = socket;
    }

    void remove(IoUringSocket socket) {
        int index = socket.index;
        if (index >= 0 && byIndex[index] == socket) {
            byIndex[index] = null;
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, freeCount * 2);
            }
            free[freeCount++] = index;
            socket.index = -1;
        }
    }

    /** @return the socket at {@code index}, or null */
    IoUringSocket at(int index) {
        return index >= 0 && index < used ? byIndex[index] : null;
    }

    /** @return the number of indexes to scan with {@link #at} */
    int capacity() {
        return used;
    }
}
