package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.ThrowingRunnable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sleeping and yielding (gevent: {@code gevent.sleep}, {@code gevent.idle},
 * {@code getswitchinterval}/{@code setswitchinterval}): {@code sleep(0)} is a cooperative yield that
 * lets every other runnable greenlet run once, a timed sleep waits at least its duration, and a
 * greenlet that yields in a loop cannot starve timers.
 */
@GeventTck
public class SleepTck {

    /** Clock granularity: a loop that rounds deadlines to whole milliseconds may wake this early. */
    private static final Duration CLOCK_SLACK = Duration.ofMillis(1);

    @Test
    void sleepZeroInterleavesTwoGreenletsStepByStep() {
        List<String> log = new ArrayList<>();
        Greenlet<Void> one = Gevent.spawn(() -> {
            log.add("1A");
            Gevent.sleep();
            log.add("1B");
        });
        Greenlet<Void> two = Gevent.spawn(() -> {
            log.add("2A");
            Gevent.sleep(Duration.ZERO);
            log.add("2B");
        });
        Gevent.joinAll(List.of(one, two));
        assertEquals(List.of("1A", "2A", "1B", "2B"), log);
    }

    @Test
    void sleepZeroInTheMainGreenletLetsEachRunnableGreenletRunOnce() {
        List<String> log = new ArrayList<>();
        Greenlet<Void> g = Gevent.spawn(() -> {
            log.add("first step");
            Gevent.sleep();
            log.add("second step");
        });
        Gevent.sleep();
        assertEquals(List.of("first step"), log);
        Gevent.sleep();
        assertEquals(List.of("first step", "second step"), log);
        assertTrue(g.dead());
    }

    @Test
    void timedSleepWaitsAtLeastItsDuration() {
        Duration nap = Duration.ofMillis(50);
        long start = System.nanoTime();
        Gevent.sleep(nap);
        assertAtLeast(nap, System.nanoTime() - start);

        Greenlet<Long> g = Gevent.spawn(() -> {
            long begin = System.nanoTime();
            Gevent.sleep(nap);
            return System.nanoTime() - begin;
        });
        assertAtLeast(nap, g.get());
    }

    @Test
    void sleepingGreenletsWakeInDeadlineOrder() {
        List<Integer> woke = new ArrayList<>();
        List<Greenlet<Void>> all = new ArrayList<>();
        for (int ms : new int[] {150, 50, 100}) {
            all.add(Gevent.spawn(() -> {
                Gevent.sleep(Duration.ofMillis(ms));
                woke.add(ms);
            }));
        }
        Gevent.joinAll(all);
        assertEquals(List.of(50, 100, 150), woke);
    }

    @Test
    void idleReturnsOnceOtherRunnableGreenletsHaveRunEvenWithTimersPending() {
        List<String> finished = new ArrayList<>();
        Greenlet<Void> sleeper = Gevent.spawn(() -> Gevent.sleep(Duration.ofSeconds(60)));
        List<Greenlet<Void>> busy = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            busy.add(Gevent.spawn(() -> {
                for (int i = 0; i < 5; i++) {
                    Gevent.sleep();
                }
                finished.add(name);
            }));
        }
        Gevent.idle();
        assertEquals(List.of("a", "b", "c"), finished);
        for (Greenlet<Void> g : busy) {
            assertTrue(g.dead());
        }
        assertFalse(sleeper.dead(), "idle() waited for a timer");
        sleeper.kill();
    }

    @Test
    void switchIntervalCanBeReadAndChanged() {
        Duration before = Gevent.getSwitchInterval();
        assertTrue(before.compareTo(Duration.ZERO) > 0, "switch interval " + before);
        try {
            Gevent.setSwitchInterval(Duration.ofMillis(1));
            assertEquals(Duration.ofMillis(1), Gevent.getSwitchInterval());
            Gevent.setSwitchInterval(Duration.ofMillis(20));
            assertEquals(Duration.ofMillis(20), Gevent.getSwitchInterval());
        } finally {
            Gevent.setSwitchInterval(before);
        }
        assertEquals(before, Gevent.getSwitchInterval());
    }

    @Test
    @Timeout(10)
    void greenletsYieldingInALoopDoNotStarveATimer() {
        Hub hub = Gevent.getHub();
        AtomicBoolean fired = new AtomicBoolean();
        AtomicInteger turns = new AtomicInteger();
        hub.callLater(Duration.ofMillis(10), () -> fired.set(true));
        ThrowingRunnable pingPong = () -> {
            while (!fired.get()) {
                turns.incrementAndGet();
                Gevent.sleep();
            }
        };
        Greenlet<Void> ping = Gevent.spawn(pingPong);
        Greenlet<Void> pong = Gevent.spawn(pingPong);
        Gevent.joinAll(List.of(ping, pong));
        assertTrue(fired.get());
        assertTrue(turns.get() > 0);
    }

    @Test
    @Timeout(10)
    void mainGreenletYieldingInALoopDoesNotStarveATimer() {
        AtomicBoolean fired = new AtomicBoolean();
        Gevent.getHub().callLater(Duration.ofMillis(10), () -> fired.set(true));
        Greenlet<Void> spinner = Gevent.spawn(() -> {
            while (!fired.get()) {
                Gevent.sleep();
            }
        });
        while (!fired.get()) {
            Gevent.sleep();
        }
        spinner.join();
    }

    private static void assertAtLeast(Duration expected, long elapsedNanos) {
        assertTrue(elapsedNanos >= expected.minus(CLOCK_SLACK).toNanos(),
                "slept only " + Duration.ofNanos(elapsedNanos).toMillis() + " ms of " + expected.toMillis() + " ms");
    }
}
