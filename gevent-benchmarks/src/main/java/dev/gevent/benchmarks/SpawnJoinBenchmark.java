package dev.gevent.benchmarks;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.ThrowingRunnable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a greenlet's whole life: spawn, run an empty body, join. The score is per greenlet.
 *
 * <ul>
 *   <li>{@code gevent} / {@code jdk}: a batch of {@value #BATCH} spawned, then joined one by one;
 *       the hub (or the JDK's scheduler) runs them while the caller joins.
 *   <li>{@code geventOneAtATime} / {@code jdkOneAtATime}: spawn one, join it, repeat; every
 *       greenlet costs a round trip through the scheduler.
 * </ul>
 *
 * The {@code jdk} methods start plain virtual threads ({@code Thread.ofVirtual().start(r)}) on the
 * JDK's default scheduler and join them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class SpawnJoinBenchmark {
    static final int BATCH = 1_000;

    private static final ThrowingRunnable EMPTY_GREENLET = () -> { };
    private static final Runnable EMPTY_THREAD = () -> { };

    // Reused across invocations so that the batch methods measure greenlets, not arrays.
    private final Greenlet<?>[] greenlets = new Greenlet<?>[BATCH];
    private final Thread[] threads = new Thread[BATCH];

    /**
     * Spawns a batch of greenlets, then joins them.
     *
     * @param state makes the worker thread a hub, outside the measured path
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void gevent(HubState state) {
        for (int i = 0; i < BATCH; i++) {
            greenlets[i] = Gevent.spawn(EMPTY_GREENLET);
        }
        for (Greenlet<?> g : greenlets) {
            g.join();
        }
    }

    /**
     * Starts a batch of virtual threads, then joins them.
     *
     * @throws InterruptedException never
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jdk() throws InterruptedException {
        for (int i = 0; i < BATCH; i++) {
            threads[i] = Thread.ofVirtual().start(EMPTY_THREAD);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /**
     * Spawns one greenlet and joins it.
     *
     * @param state makes the worker thread a hub, outside the measured path
     */
    @Benchmark
    public void geventOneAtATime(HubState state) {
        Gevent.spawn(EMPTY_GREENLET).join();
    }

    /**
     * Starts one virtual thread and joins it.
     *
     * @throws InterruptedException never
     */
    @Benchmark
    public void jdkOneAtATime() throws InterruptedException {
        Thread.ofVirtual().start(EMPTY_THREAD).join();
    }
}
