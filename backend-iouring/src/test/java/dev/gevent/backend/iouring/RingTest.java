package dev.gevent.backend.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.util.BitSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ring on its own, with rings far smaller than what goes through them. */
@Timeout(20)
class RingTest {
    private static final byte OP_NOP = 0;

    @BeforeAll
    static void requireIoUring() {
        assumeTrue(Availability.UNAVAILABLE == null, () -> "io_uring unavailable: " + Availability.UNAVAILABLE);
    }

    @Test
    void moreOperationsThanBothRingsHoldLoseNoCompletion() throws Exception {
        int operations = 1000;
        try (Arena arena = Arena.ofConfined()) {
            Ring ring = new Ring(new LibC(arena), arena, 4, 8);
            try {
                // A full SQ is submitted on the spot; the CQ of 8 overflows many times over, and
                // the kernel's overflow list must come back through drain.
                for (int i = 1; i <= operations; i++) {
                    ring.prepare(ring.next(), OP_NOP, -1, 0, 0, 0, 0, i);
                }
                BitSet seen = new BitSet();
                while (seen.cardinality() < operations) {
                    ring.submitAndWait(1_000_000_000L);
                    while (ring.hasCompletion()) {
                        long userData = ring.take();
                        assertEquals(0, ring.result(), "a NOP's result");
                        assertTrue(userData >= 1 && userData <= operations, () -> "unknown user_data " + userData);
                        assertTrue(!seen.get((int) userData), () -> "completed twice: " + userData);
                        seen.set((int) userData);
                    }
                }
            } finally {
                ring.close();
            }
        }
    }

    @Test
    void awaitFindsOneCompletionAndLeavesTheOthers() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            Ring ring = new Ring(new LibC(arena), arena, 4, 8);
            try {
                for (int i = 1; i <= 20; i++) {
                    ring.prepare(ring.next(), OP_NOP, -1, 0, 0, 0, 0, i);
                }
                assertEquals(0, ring.await(17), "the awaited NOP's result");
                BitSet seen = new BitSet();
                while (seen.cardinality() < 19) {
                    ring.submitAndWait(1_000_000_000L);
                    while (ring.hasCompletion()) {
                        long userData = ring.take();
                        if (userData != Ring.IGNORED) {
                            seen.set((int) userData);
                        }
                    }
                }
                assertTrue(!seen.get(17), "the awaited completion is not handed out again");
            } finally {
                ring.close();
            }
        }
    }
}
