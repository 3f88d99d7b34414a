package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.event.AsyncResult;
import dev.gevent.threadpool.ThreadPool;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * gevent's {@code examples/threadpool.py}: blocking calls that cannot cooperate (here
 * {@code Thread.sleep} on a platform thread, standing for a native call or a file read) run on a
 * {@link ThreadPool} of real threads, while the hub goes on running greenlets. TASKS sleeps of
 * SECONDS on THREADS threads take about ceil(TASKS / THREADS) x SECONDS; a greenlet ticks
 * meanwhile to show that the hub never blocked.
 *
 * <p>Run: {@code java -jar gevent-examples.jar threadpool [TASKS THREADS SECONDS]} (default 4 3 1).
 */
public final class ThreadPoolExample {
    /** The arguments after the example's name. */
    public static final String USAGE = "[TASKS THREADS SECONDS]";
    private static final Duration TICK = Duration.ofMillis(50);

    private ThreadPoolExample() {
    }

    /**
     * @param args {@value #USAGE}
     */
    public static void main(String[] args) {
        run(args, System.out);
    }

    /**
     * Runs the example in the calling thread's hub, printing to {@code out}.
     *
     * @param args {@value #USAGE}
     * @param out where it reports
     */
    public static void run(String[] args, PrintStream out) {
        if (args.length != 0 && args.length != 3) {
            throw new Args.Bad("expected no arguments or TASKS THREADS SECONDS");
        }
        int tasks = args.length == 0 ? 4 : Args.count(args[0], "tasks", 1, 1000);
        int threads = args.length == 0 ? 3 : Args.count(args[1], "threads", 1, 100);
        Duration nap = args.length == 0 ? Duration.ofSeconds(1) : Args.seconds(args[2]);
        try (Hub _ = Gevent.getHub(); ThreadPool pool = new ThreadPool(threads)) {
            int[] ticks = {0};
            Greenlet<Void> ticker = Gevent.spawn(() -> {
                while (true) {
                    Gevent.sleep(TICK);
                    ticks[0]++;
                }
            });
            long start = System.nanoTime();
            List<AsyncResult<Long>> naps = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                naps.add(pool.spawn(() -> {
                    Thread.sleep(nap);   // blocks a pool thread, not the hub
                    return Thread.currentThread().threadId();
                }));
            }
            long poolThreads = naps.stream().map(AsyncResult::get).distinct().count();
            long took = (System.nanoTime() - start) / 1_000_000;
            ticker.kill();
            long rounds = (tasks + threads - 1) / threads;
            out.printf("threadpool: %d x Thread.sleep(%d ms) on %d pool threads took %d ms (about %d ms expected);"
                    + " the hub ticked %d times meanwhile%n", tasks, nap.toMillis(), poolThreads, took, rounds * nap.toMillis(),
                    ticks[0]);
        }
    }
}
