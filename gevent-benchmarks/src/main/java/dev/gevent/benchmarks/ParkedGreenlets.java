package dev.gevent.benchmarks;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Waiter;
import dev.gevent.tck.UsedHeap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * How much heap a parked greenlet costs: parks N greenlets, each blocked on its own
 * {@link Waiter}, and prints the growth of the used heap (after {@code System.gc()}) per greenlet.
 * Then it wakes them all and joins them.
 *
 * <pre>{@code
 * java -Xmx2g -cp benchmarks.jar dev.gevent.benchmarks.ParkedGreenlets [N] [gevent|jdk]
 * }</pre>
 *
 * N defaults to 1,000,000. With {@code jdk}, it parks plain virtual threads of the JDK's default
 * scheduler in {@link LockSupport#park()} instead. The hub flags
 * ({@code --add-opens java.base/java.lang=ALL-UNNAMED}) are needed with {@code -cp}: the jar's
 * manifest only applies to {@code java -jar}.
 */
public final class ParkedGreenlets {
    private ParkedGreenlets() {
    }

    /**
     * Runs the measurement.
     *
     * @param args the number of greenlets (default 1,000,000), then {@code gevent} (default) or
     *     {@code jdk}
     * @throws InterruptedException never
     */
    public static void main(String[] args) throws InterruptedException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String kind = args.length > 1 ? args[1] : "gevent";
        switch (kind) {
            case "gevent" -> greenlets(count);
            case "jdk" -> virtualThreads(count);
            default -> {
                System.err.println("unknown kind " + kind + ": use gevent or jdk");
                System.exit(2);
            }
        }
    }

    private static void greenlets(int count) {
        try (Hub hub = Gevent.getHub()) {
            // Sized before the baseline: the harness's arrays are not part of a greenlet's cost.
            Greenlet<?>[] greenlets = new Greenlet<?>[count];
            List<Waiter<Boolean>> waiters = new ArrayList<>(count);
            long before = UsedHeap.afterGc();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                greenlets[i] = Gevent.spawn(() -> {
                    Waiter<Boolean> waiter = hub.newWaiter();
                    waiters.add(waiter); // greenlets of one hub never run at once
                    waiter.get();
                });
            }
            Gevent.idle(); // returns once every greenlet has run up to its get()
            long parkNanos = System.nanoTime() - start;
            report("greenlets (" + hub.loopName() + " hub)", count, UsedHeap.afterGc() - before, parkNanos);

            start = System.nanoTime();
            for (Waiter<Boolean> waiter : waiters) {
                waiter.switchTo(Boolean.TRUE);
            }
            for (Greenlet<?> g : greenlets) {
                g.join();
            }
            System.out.printf("woke and joined them in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void virtualThreads(int count) throws InterruptedException {
        Thread[] threads = new Thread[count];
        AtomicBoolean released = new AtomicBoolean();
        long before = UsedHeap.afterGc();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                while (!released.get()) {
                    LockSupport.park();
                }
            });
        }
        // A started thread may not have reached park() yet: wait until each one is parked.
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
        }
        long parkNanos = System.nanoTime() - start;
        report("virtual threads (JDK default scheduler)", count, UsedHeap.afterGc() - before, parkNanos);

        start = System.nanoTime();
        released.set(true);
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("woke and joined them in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    private static void report(String what, int count, long bytes, long parkNanos) {
        System.out.printf("%,d parked %s: %,d bytes of heap, %d bytes each; parked in %d ms%n",
                count, what, bytes, bytes / count, parkNanos / 1_000_000);
    }
}
