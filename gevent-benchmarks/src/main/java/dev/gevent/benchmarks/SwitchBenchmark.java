package dev.gevent.benchmarks;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Waiter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one hand-off between two greenlets: one passes a value to the other and blocks
 * until the answer comes back. The score is per hand-off; each invocation makes
 * {@value #HAND_OFFS} of them (the two greenlets, or threads, are started and joined once per
 * invocation, which the batch amortizes).
 *
 * <ul>
 *   <li>{@code gevent}: two greenlets of one hub, each blocked in {@link Waiter#get()} until the
 *       other calls {@link Waiter#switchTo}; waiters are one-shot, so each side makes a new one
 *       for every value it receives.
 *   <li>{@code jdk}: two virtual threads on the JDK's default scheduler, each with a volatile slot,
 *       handing off with {@link LockSupport#park()} and {@link LockSupport#unpark}: the closest
 *       equivalent of a waiter. The default scheduler may run the two on different carriers.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class SwitchBenchmark {
    static final int HAND_OFFS = 10_000;

    /** Where the next value for one side goes: the waiter that side blocks on next. */
    private static final class Inbox {
        Waiter<Integer> next;
    }

    /**
     * Two greenlets hand an incrementing counter back and forth.
     *
     * @param state the worker thread's hub
     * @return the last value, so that the work is not optimized away
     */
    @Benchmark
    @OperationsPerInvocation(HAND_OFFS)
    public int gevent(HubState state) {
        Hub hub = state.hub;
        Inbox ping = new Inbox();
        Inbox pong = new Inbox();
        pong.next = hub.newWaiter();
        Greenlet<Void> answerer = Gevent.spawn(() -> {
            for (int i = 0; i < HAND_OFFS / 2; i++) {
                Integer value = pong.next.get();
                pong.next = hub.newWaiter();
                ping.next.switchTo(value + 1);
            }
        });
        Greenlet<Integer> asker = Gevent.spawn(() -> {
            Integer value = 0;
            for (int i = 0; i < HAND_OFFS / 2; i++) {
                Waiter<Integer> mine = hub.newWaiter();
                ping.next = mine;
                pong.next.switchTo(value + 1);
                value = mine.get();
            }
            return value;
        });
        int last = asker.get();
        answerer.join();
        return last;
    }

    /** A virtual thread's inbox: a value slot it parks on. */
    private static final class Mailbox {
        volatile Integer value;
        Thread owner;

        void send(Integer v) {
            value = v;
            LockSupport.unpark(owner);
        }

        Integer receive() {
            Integer v;
            while ((v = value) == null) {
                LockSupport.park(this);
            }
            value = null;
            return v;
        }
    }

    /**
     * Two virtual threads hand an incrementing counter back and forth.
     *
     * @return the last value
     * @throws InterruptedException never
     */
    @Benchmark
    @OperationsPerInvocation(HAND_OFFS)
    public int jdk() throws InterruptedException {
        Mailbox ping = new Mailbox();
        Mailbox pong = new Mailbox();
        int[] last = new int[1];
        pong.owner = Thread.ofVirtual().unstarted(() -> {
            for (int i = 0; i < HAND_OFFS / 2; i++) {
                ping.send(pong.receive() + 1);
            }
        });
        ping.owner = Thread.ofVirtual().unstarted(() -> {
            Integer value = 0;
            for (int i = 0; i < HAND_OFFS / 2; i++) {
                pong.send(value + 1);
                value = ping.receive();
            }
            last[0] = value;
        });
        pong.owner.start();
        ping.owner.start();
        ping.owner.join();
        pong.owner.join();
        return last[0];
    }
}
