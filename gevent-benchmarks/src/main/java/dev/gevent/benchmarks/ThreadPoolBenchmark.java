package dev.gevent.benchmarks;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.threadpool.ThreadPool;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The round trip of one trivial task through a one-thread pool: hand it over, let a pool thread
 * run it, wait for its value. The score is per round trip; both sides wake a parked thread twice.
 *
 * <ul>
 *   <li>{@code gevent}: {@link ThreadPool#apply} from the hub's main greenlet (the JMH worker
 *       thread), which runs the loop while it waits and is woken through the hub.
 *   <li>{@code jdkCompletableFuture}: {@code CompletableFuture.supplyAsync(task, executor).join()}
 *       from a plain platform thread, on a single-thread executor.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class ThreadPoolBenchmark {
    private static final Callable<Integer> ONE = () -> 1;
    private static final Supplier<Integer> ONE_SUPPLIER = () -> 1;

    /** The worker thread's hub and a one-thread pool; the pool is closed before the hub. */
    @State(Scope.Thread)
    public static class GeventPool {
        Hub hub;
        ThreadPool pool;

        /** Makes the worker thread a hub and starts the pool's thread, outside the measured path. */
        @Setup(Level.Trial)
        public void open() {
            hub = Gevent.getHub();
            pool = new ThreadPool(1);
            pool.apply(ONE);
        }

        /** Closes the pool while its hub can still run the wait, then the hub. */
        @TearDown(Level.Trial)
        public void close() {
            pool.close();
            hub.close();
        }
    }

    /** A plain single-thread executor. */
    @State(Scope.Thread)
    public static class JdkExecutor {
        ExecutorService executor;

        /** Starts the executor's thread outside the measured path. */
        @Setup(Level.Trial)
        public void open() {
            executor = Executors.newSingleThreadExecutor();
            CompletableFuture.supplyAsync(ONE_SUPPLIER, executor).join();
        }

        /** Waits for the executor's thread to end. */
        @TearDown(Level.Trial)
        public void close() {
            executor.close();
        }
    }

    /**
     * One task through the gevent pool, waited for by the main greenlet.
     *
     * @param state the hub and the pool
     * @return the task's value
     */
    @Benchmark
    public int gevent(GeventPool state) {
        return state.pool.apply(ONE);
    }

    /**
     * One task through a JDK executor, waited for by a platform thread.
     *
     * @param state the executor
     * @return the task's value
     */
    @Benchmark
    public int jdkCompletableFuture(JdkExecutor state) {
        return CompletableFuture.supplyAsync(ONE_SUPPLIER, state.executor).join();
    }
}
