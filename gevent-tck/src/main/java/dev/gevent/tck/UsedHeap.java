package dev.gevent.tck;

/**
 * The used heap once the garbage is gone, for the soak's heap check and the memory benchmarks: the
 * least of several {@code System.gc()} in a row, since one collection may leave some behind.
 */
public final class UsedHeap {
    private static final int COLLECTIONS = 5;

    private UsedHeap() {
    }

    /** @return the bytes of heap in use after the collections */
    public static long afterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < COLLECTIONS; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
