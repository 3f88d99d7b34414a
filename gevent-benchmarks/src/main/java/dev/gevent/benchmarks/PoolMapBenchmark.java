package dev.gevent.benchmarks;

import dev.gevent.pool.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
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
 * The cost of a bounded parallel map over trivial work: {@value #ITEMS} Integers, each mapped to
 * itself plus one, at most {@value #CONCURRENCY} at a time, the values collected in input order.
 * The score is per item.
 *
 * <ul>
 *   <li>{@code gevent}: {@code new Pool(1000).map(x -> x + 1, items)}, called from the hub's
 *       main greenlet: one greenlet per item, spawned as the pool has room.
 *   <li>{@code jdk}: a virtual thread per item from {@link Executors#newVirtualThreadPerTaskExecutor()}
 *       on the JDK's default scheduler, a {@link Semaphore} of {@value #CONCURRENCY} permits taken
 *       before each submit and released by the task, then every {@link Future} read in input order.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class PoolMapBenchmark {
    static final int ITEMS = 100_000;
    static final int CONCURRENCY = 1_000;

    private final List<Integer> items = new ArrayList<>(ITEMS);

    /** The input, boxed once outside the measured path. */
    public PoolMapBenchmark() {
        for (int i = 0; i < ITEMS; i++) {
            items.add(i);
        }
    }

    /**
     * Maps with a pool of greenlets.
     *
     * @param state makes the worker thread a hub, outside the measured path
     * @return the values, so that the work is not optimized away
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public List<Integer> gevent(HubState state) {
        return new Pool(CONCURRENCY).map(x -> x + 1, items);
    }

    /**
     * Maps with virtual threads, bounded by a semaphore.
     *
     * @return the values
     * @throws InterruptedException never
     * @throws ExecutionException never
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public List<Integer> jdk() throws InterruptedException, ExecutionException {
        Semaphore permits = new Semaphore(CONCURRENCY);
        List<Future<Integer>> futures = new ArrayList<>(ITEMS);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Integer x : items) {
                permits.acquire();
                futures.add(executor.submit(() -> {
                    try {
                        return x + 1;
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<Integer> values = new ArrayList<>(ITEMS);
            for (Future<Integer> f : futures) {
                values.add(f.get());
            }
            return values;
        }
    }
}
