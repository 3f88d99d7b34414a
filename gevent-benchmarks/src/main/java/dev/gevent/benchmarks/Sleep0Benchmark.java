package dev.gevent.benchmarks;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
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
 * The cost of a cooperative yield: {@value #GREENLETS} greenlets each call {@code Gevent.sleep()}
 * {@value #YIELDS} times, so every yield switches to the next greenlet in line. The score is per
 * yield. The {@code jdk} method does the same with virtual threads calling {@link Thread#yield()}
 * on the JDK's default scheduler.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class Sleep0Benchmark {
    static final int GREENLETS = 10;
    static final int YIELDS = 1_000;

    private final Greenlet<?>[] greenlets = new Greenlet<?>[GREENLETS];
    private final Thread[] threads = new Thread[GREENLETS];

    /**
     * Greenlets yielding with {@code Gevent.sleep()}.
     *
     * @param state makes the worker thread a hub, outside the measured path
     */
    @Benchmark
    @OperationsPerInvocation(GREENLETS * YIELDS)
    public void gevent(HubState state) {
        for (int i = 0; i < GREENLETS; i++) {
            greenlets[i] = Gevent.spawn(() -> {
                for (int n = 0; n < YIELDS; n++) {
                    Gevent.sleep();
                }
            });
        }
        for (Greenlet<?> g : greenlets) {
            g.join();
        }
    }

    /**
     * Virtual threads yielding with {@code Thread.yield()}.
     *
     * @throws InterruptedException never
     */
    @Benchmark
    @OperationsPerInvocation(GREENLETS * YIELDS)
    public void jdk() throws InterruptedException {
        for (int i = 0; i < GREENLETS; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                for (int n = 0; n < YIELDS; n++) {
                    Thread.yield();
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
