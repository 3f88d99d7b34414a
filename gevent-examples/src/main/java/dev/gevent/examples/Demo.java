package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A short tour of the model, the {@code demo} example: greenlets that interleave, joining them,
 * a {@link Timeout}, {@link Gevent#withTimeout}, killing a greenlet, and plain JDK blocking calls
 * that cooperate with the hub.
 *
 * <p>The calling thread becomes the hub's main greenlet; the hub is closed on return.
 */
public final class Demo {
    private static final int SLEEPERS = 50;
    private static final Duration SLEEPER_NAP = Duration.ofMillis(200);

    private Demo() {
    }

    /**
     * Runs the demo on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }

    /**
     * Runs the demo in the calling platform thread, printing to {@code out}.
     *
     * @param out where the demo writes
     */
    public static void run(PrintStream out) {
        long start = System.nanoTime();
        try (Hub hub = Gevent.getHub()) {
            out.println("loop: " + hub.loopName());
            interleave(out);
            timeout(out);
            withTimeout(out);
            kill(out);
            long sleepersMillis = threadSleep(out);
            out.printf("summary: done in %d ms on one thread; %d x %d ms of Thread.sleep took %d ms, not %d ms%n",
                    millisSince(start), SLEEPERS, SLEEPER_NAP.toMillis(), sleepersMillis, SLEEPERS * SLEEPER_NAP.toMillis());
        }
    }

    /** Three greenlets take turns: each Gevent.sleep() lets the others run once. */
    private static void interleave(PrintStream out) {
        // Only one greenlet of a hub runs at a time, so a plain list is safe here.
        List<String> steps = new ArrayList<>();
        List<Greenlet<Integer>> workers = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            workers.add(Gevent.spawn(() -> {
                for (int i = 1; i <= 3; i++) {
                    steps.add(name + i);
                    Gevent.sleep();
                }
                return 3;
            }));
        }
        List<Greenlet<Integer>> dead = Gevent.joinAll(workers);
        out.println("interleaved: " + String.join(" ", steps));
        out.println("joinAll: " + dead.size() + " greenlets dead, " + dead.stream().mapToInt(Greenlet::value).sum() + " steps in all");
    }

    /** A Timeout cuts a sleep short; the handler catches that Timeout and no other. */
    private static void timeout(PrintStream out) {
        long start = System.nanoTime();
        Timeout timeout = Timeout.startNew(Duration.ofMillis(100));
        try (timeout) {
            Gevent.sleep(Duration.ofSeconds(10));
            out.println("timeout: did not fire");
        } catch (Timeout t) {
            if (t != timeout) {
                throw t; // an enclosing Timeout: not ours to handle
            }
            out.println("timeout: fired after " + millisSince(start) + " ms, cutting a 10 s sleep short");
        }
    }

    /** withTimeout returns the function's value, or the fallback once the time is up. */
    private static void withTimeout(PrintStream out) {
        Duration limit = Duration.ofMillis(50);
        String fast = Gevent.withTimeout(limit, () -> "answer", "fallback");
        String slow = Gevent.withTimeout(limit, () -> {
            Gevent.sleep(Duration.ofSeconds(10));
            return "answer";
        }, "fallback");
        out.println("withTimeout: fast call -> " + fast + ", slow call -> " + slow);
    }

    /** Killing a greenlet raises GreenletExit at its blocking point; that counts as success. */
    private static void kill(PrintStream out) {
        Greenlet<Void> sleeper = Gevent.spawn(() -> Gevent.sleep(Duration.ofSeconds(60)));
        Gevent.sleep(); // let it start and block in its sleep
        sleeper.kill();
        out.println("kill: sleeper dead=" + sleeper.dead() + " successful=" + sleeper.successful()
                + " (GreenletExit counts as success)");
    }

    /** Thread.sleep in a greenlet parks only that greenlet: the naps overlap. */
    private static long threadSleep(PrintStream out) {
        long start = System.nanoTime();
        List<Greenlet<Void>> sleepers = new ArrayList<>();
        for (int i = 0; i < SLEEPERS; i++) {
            sleepers.add(Gevent.spawn(() -> Thread.sleep(SLEEPER_NAP)));
        }
        Gevent.joinAll(sleepers);
        long elapsed = millisSince(start);
        out.println("Thread.sleep: " + SLEEPERS + " greenlets slept " + SLEEPER_NAP.toMillis() + " ms each, all done in "
                + elapsed + " ms");
        return elapsed;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
