package dev.gevent.benchmarks;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.queue.Channel;
import dev.gevent.queue.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of passing one item from a producer to a consumer: one side puts {@value #ITEMS} items,
 * the other gets them. The score is per item; the two greenlets, or threads, are started and
 * joined once per invocation, which the batch amortizes. The items are boxed ahead of time, so
 * that no boxing is measured.
 *
 * <ul>
 *   <li>{@code channel}: two greenlets of one hub through a {@link Channel}, the rendezvous: every
 *       item needs both sides, so they take turns.
 *   <li>{@code queueBounded}: the same through a {@link Queue} of {@code maxsize} 1.
 *   <li>{@code queueUnbounded}: the same through an unbounded {@link Queue}: the producer never
 *       blocks, so the items pile up and the consumer drains them.
 *   <li>{@code jdkSynchronousQueue} and {@code jdkLinkedBlockingQueue}: two virtual threads on the
 *       JDK's default scheduler through a {@link SynchronousQueue} and an unbounded
 *       {@link LinkedBlockingQueue}, for comparison.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class QueueBenchmark {
    static final int ITEMS = 10_000;
    private static final Integer[] BOXED = new Integer[ITEMS];

    static {
        for (int i = 0; i < ITEMS; i++) {
            BOXED[i] = i;
        }
    }

    /**
     * Two greenlets through a {@link Channel}.
     *
     * @param state makes the worker thread a hub, outside the measured path
     * @return the sum of the items, so that the work is not optimized away
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long channel(HubState state) {
        Channel<Integer> ch = new Channel<>();
        return throughGreenlets(ch::put, ch::get);
    }

    /**
     * Two greenlets through a {@link Queue} that holds one item.
     *
     * @param state makes the worker thread a hub, outside the measured path
     * @return the sum of the items
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long queueBounded(HubState state) {
        return throughQueue(new Queue<>(1));
    }

    /**
     * Two greenlets through an unbounded {@link Queue}.
     *
     * @param state makes the worker thread a hub, outside the measured path
     * @return the sum of the items
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long queueUnbounded(HubState state) {
        return throughQueue(new Queue<>());
    }

    private static long throughQueue(Queue<Integer> q) {
        return throughGreenlets(q::put, q::get);
    }

    /** A producer greenlet puts every item, a consumer greenlet gets and sums them. */
    private static long throughGreenlets(Consumer<Integer> put, Supplier<Integer> get) {
        Greenlet<Void> producer = Gevent.spawn(() -> {
            for (Integer item : BOXED) {
                put.accept(item);
            }
        });
        Greenlet<Long> consumer = Gevent.spawn(() -> {
            long sum = 0;
            for (int i = 0; i < ITEMS; i++) {
                sum += get.get();
            }
            return sum;
        });
        long sum = consumer.get();
        producer.join();
        return sum;
    }

    /**
     * Two virtual threads through a {@link SynchronousQueue}.
     *
     * @return the sum of the items
     * @throws InterruptedException never
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jdkSynchronousQueue() throws InterruptedException {
        return throughJdkQueue(new SynchronousQueue<>());
    }

    /**
     * Two virtual threads through an unbounded {@link LinkedBlockingQueue}.
     *
     * @return the sum of the items
     * @throws InterruptedException never
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jdkLinkedBlockingQueue() throws InterruptedException {
        return throughJdkQueue(new LinkedBlockingQueue<>());
    }

    private static long throughJdkQueue(BlockingQueue<Integer> q) throws InterruptedException {
        long[] sum = new long[1];
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                for (Integer item : BOXED) {
                    q.put(item);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread consumer = Thread.ofVirtual().start(() -> {
            long s = 0;
            try {
                for (int i = 0; i < ITEMS; i++) {
                    s += q.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sum[0] = s;
        });
        producer.join();
        consumer.join();
        return sum[0];
    }
}
