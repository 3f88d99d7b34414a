package dev.gevent.backend.iouring;

/**
 * Connections a listener's multishot accept took before an accept asked for them: their
 * descriptors, oldest first. Hub thread only.
 */
final class Accepted {
    private int[] fds = new int[8];
    private int head;
    private int count;

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    void add(int fd) {
        if (count == fds.length) {
            int[] grown = new int[fds.length * 2];
            for (int i = 0; i < count; i++) {
                grown[i] = fds[(head + i) & (fds.length - 1)];
            }
            fds = grown;
            head = 0;
        }
        fds[(head + count) & (fds.length - 1)] = fd;
        count++;
    }

    /** @return the oldest descriptor, which the caller now owns */
    int take() {
        int fd = fds[head];
        head = (head + 1) & (fds.length - 1);
        count--;
        return fd;
    }
}
