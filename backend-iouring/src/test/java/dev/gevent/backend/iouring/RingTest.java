package dev.gevent.backend.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.backend.linux.Linux;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ring on its own, with rings far smaller than what goes through them, in every setup the loop
 * may choose that this kernel offers (an older kernel gets a later one).
 */
@Timeout(20)
class RingTest {
    private static final byte OP_NOP = 0;

    @BeforeAll
    static void requireIoUring() {
        assumeTrue(Availability.UNAVAILABLE == null, () -> "io_uring unavailable: " + Availability.UNAVAILABLE);
    }

    /** @return the setups of {@link Ring#SETUPS} that this kernel accepts */
    static IntStream setups() {
        return IntStream.of(Ring.SETUPS).filter(flags -> {
            try (Arena arena = Arena.ofConfined()) {
                new Ring(new LibC(arena), arena, 4, 8, flags).close();
                return true;
            } catch (Ring.RingSetupException e) {
                if (e.errno != Linux.EINVAL) {
                    throw new AssertionError("io_uring_setup failed for another reason than an unknown flag", e);
                }
                return false;
            }
        });
    }

    @Test
    void theLoopGetsTheFirstSetupTheKernelAccepts() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            Ring ring = new Ring(new LibC(arena), arena, 4, 8);
            try {
                assertEquals(setups().findFirst().orElseThrow(), ring.setupFlags);
            } finally {
                ring.close();
            }
        }
    }

    @ParameterizedTest(name = "setup flags {0}")
    @MethodSource("setups")
    void moreOperationsThanBothRingsHoldLoseNoCompletion(int setup) throws Exception {
        int operations = 1000;
        try (Arena arena = Arena.ofConfined()) {
            Ring ring = new Ring(new LibC(arena), arena, 4, 8, setup);
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

    @ParameterizedTest(name = "setup flags {0}")
    @MethodSource("setups")
    void awaitFindsOneCompletionAndLeavesTheOthers(int setup) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            Ring ring = new Ring(new LibC(arena), arena, 4, 8, setup);
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

    /**
     * An operation that waited in the kernel completes through task work, which a DEFER_TASKRUN
     * ring runs only when asked: a look that does not wait must ask, or a hub with greenlets
     * always ready would never see the completion.
     */
    @ParameterizedTest(name = "setup flags {0}")
    @MethodSource("setups")
    void aLookThatDoesNotWaitSeesAnOperationThatCompletedAfterWaiting(int setup) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            LibC libc = new LibC(arena);
            Ring ring = new Ring(libc, arena, 4, 8, setup);
            int efd = libc.eventfd(0, Linux.EFD_CLOEXEC);
            assertTrue(efd >= 0, "eventfd");
            MemorySegment counter = arena.allocate(Long.BYTES, Long.BYTES);
            MemorySegment one = arena.allocate(Long.BYTES, Long.BYTES);
            one.set(ValueLayout.JAVA_LONG, 0, 1L);
            try {
                ring.prepare(ring.next(), IoUringAbi.OP_READ, efd, counter.address(), Long.BYTES, 0, 0, 7);
                ring.submitAndWait(0);
                assertFalse(ring.hasCompletion(), "a READ of an empty eventfd waits");
                LibC.wake(efd, one.address());
                ring.submitAndWait(0);
                assertTrue(ring.hasCompletion(), "the READ completed when the eventfd was written");
                assertEquals(7, ring.take());
                assertEquals(Long.BYTES, ring.result());
                assertEquals(1L, counter.get(ValueLayout.JAVA_LONG, 0));
            } finally {
                ring.close();
                libc.close(efd);
            }
        }
    }
}
