package dev.gevent.backend.iouring;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the multishot tests share: the kernel they need, and a test thread that polls the loop. */
final class MultishotKernel {
    private MultishotKernel() {
    }

    /** Skips the test class unless the loop would use multishot operations here (6.1 and later). */
    static void assume() {
        assumeTrue(Availability.UNAVAILABLE == null, () -> "io_uring unavailable: " + Availability.UNAVAILABLE);
        assumeTrue((RingTest.setups().findFirst().orElseThrow() & IoUringAbi.SETUP_DEFER_TASKRUN) != 0,
                "multishot operations are used from kernel 6.1 on");
    }

    /** Polls {@code loop} until {@code condition} holds; fails after 20 s. */
    static void pollUntil(IoUringEventLoop loop, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the condition did not hold within 20 s");
            loop.poll(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
