package dev.gevent.tck.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * gevent.monkey's answer for thread-based concurrency ({@code threading}, {@code concurrent.futures}
 * under {@code patch_thread}): {@code Executor}-based JDK code runs its tasks as greenlets of a hub
 * when given {@code hub.executor()} or {@code hub.threadFactory()}, and virtual threads started in a
 * greenlet are greenlets of the same hub, so blocking tasks overlap on the one hub thread while
 * the hub goes on running other greenlets and never runs two at once.
 */
@GeventTck
public class ExecutorsTck {

    @Test
    void invokeAllOnTheHubExecutorRunsAHundredSleepingTasksTogether() {
        int tasks = 100;
        long sleepMs = 50;
        ExecutorService executor = Gevent.getHub().executor();
        try (Cooperation coop = Cooperation.start()) {
            List<Callable<Integer>> work = IntStream.range(0, tasks)
                    .mapToObj(i -> (Callable<Integer>) () -> {
                        coop.threadSleep(sleepMs);
                        return i;
                    })
                    .toList();
            long start = System.nanoTime();
            // invokeAll() parks its caller until every task is done: in a greenlet that cooperates.
            List<Future<Integer>> futures = Gevent.spawn(() -> executor.invokeAll(work)).get();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            for (int i = 0; i < tasks; i++) {
                assertEquals(i, futures.get(i).resultNow());
            }
            assertTrue(took.toMillis() < tasks * sleepMs / 2,
                    tasks + " tasks of Thread.sleep(" + sleepMs + ") took " + took.toMillis() + " ms: they did not overlap");
            coop.assertCooperated();
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void completableFutureChainOnTheHubExecutorJoinedFromAGreenlet() {
        int branches = 10;
        long sleepMs = 100;
        ExecutorService executor = Gevent.getHub().executor();
        try (Cooperation coop = Cooperation.start()) {
            long start = System.nanoTime();
            CompletableFuture<Integer> total = CompletableFuture.completedFuture(0);
            for (int i = 0; i < branches; i++) {
                int n = i;
                CompletableFuture<Integer> square = CompletableFuture
                        .supplyAsync(() -> {
                            coop.threadSleep(sleepMs);
                            return n;
                        }, executor)
                        .thenApplyAsync(v -> {
                            coop.step();
                            return v * v;
                        }, executor);
                // Neither side is complete yet (the main greenlet has not yielded), so the
                // combining function runs where the square completes: in a greenlet.
                total = total.thenCombine(square, (sum, s) -> {
                    coop.step();
                    return sum + s;
                });
            }
            CompletableFuture<Integer> all = total;
            int sum = Gevent.spawn(() -> coop.longCall(all::join)).get();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(IntStream.range(0, branches).map(n -> n * n).sum(), sum);
            assertTrue(took.toMillis() < branches * sleepMs / 2,
                    branches + " branches of Thread.sleep(" + sleepMs + ") took " + took.toMillis() + " ms: they did not overlap");
            coop.assertCooperated();
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void threadPerTaskExecutorOverTheHubThreadFactoryRunsItsTasksAsGreenlets() {
        int tasks = 20;
        long sleepMs = 100;
        Hub hub = Gevent.getHub();
        try (Cooperation coop = Cooperation.start()) {
            long start = System.nanoTime();
            // The executor's close() waits for its tasks: a blocking call, made in a greenlet.
            List<Integer> results = Gevent.spawn(() -> {
                List<Future<Integer>> futures = new ArrayList<>();
                try (ExecutorService executor = Executors.newThreadPerTaskExecutor(hub.threadFactory())) {
                    for (int i = 0; i < tasks; i++) {
                        int n = i;
                        futures.add(executor.submit(() -> {
                            coop.threadSleep(sleepMs);
                            return n;
                        }));
                    }
                }
                return futures.stream().map(Future::resultNow).toList();
            }).get();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(IntStream.range(0, tasks).boxed().toList(), results);
            assertTrue(took.toMillis() < tasks * sleepMs / 2,
                    tasks + " tasks of Thread.sleep(" + sleepMs + ") took " + took.toMillis() + " ms: they did not overlap");
            coop.assertCooperated();
        }
    }

    @Test
    void virtualThreadsStartedInAGreenletAreGreenletsOfTheSameHub() {
        int tasks = 10;
        long sleepMs = 100;
        Hub hub = Gevent.getHub();
        try (Cooperation coop = Cooperation.start()) {
            long start = System.nanoTime();
            List<Integer> results = Gevent.spawn(() -> {
                AtomicReference<Hub> childHub = new AtomicReference<>();
                Thread child = Thread.ofVirtual().start(() -> {
                    childHub.set(Gevent.getHub());
                    coop.threadSleep(sleepMs);
                });
                List<Future<Integer>> futures = new ArrayList<>();
                try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < tasks; i++) {
                        int n = i;
                        futures.add(executor.submit(() -> {
                            coop.threadSleep(sleepMs);
                            return Gevent.getHub() == hub ? n : -1;
                        }));
                    }
                }
                child.join();
                assertEquals(hub, childHub.get(), "Gevent.getHub() in a virtual thread started by a greenlet");
                return futures.stream().map(Future::resultNow).toList();
            }).get();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(IntStream.range(0, tasks).boxed().toList(), results, "-1: a task saw another hub");
            assertTrue(took.toMillis() < (tasks + 1) * sleepMs / 2,
                    (tasks + 1) + " virtual threads in Thread.sleep(" + sleepMs + ") took " + took.toMillis() + " ms");
            coop.assertCooperated();
        }
    }

    @Test
    void virtualThreadStartedFromTheMainGreenletIsNotAGreenlet() throws InterruptedException {
        Hub hub = Gevent.getHub();
        AtomicReference<String> ranOn = new AtomicReference<>();
        AtomicReference<Throwable> getHub = new AtomicReference<>();
        // The main greenlet is the hub's platform thread: its virtual threads get the JDK's
        // scheduler (hub.threadFactory() makes greenlets from here).
        Thread child = Thread.ofVirtual().start(() -> {
            ranOn.set(Thread.currentThread().toString());
            try {
                Gevent.getHub();
            } catch (Throwable e) {
                getHub.set(e);
            }
        });
        child.join();
        assertFalse(ranOn.get().endsWith("@" + hub.thread().getName()), "it ran on the hub thread: " + ranOn.get());
        assertInstanceOf(IllegalStateException.class, getHub.get(), "Gevent.getHub() in a virtual thread of the JDK's scheduler");
    }
}
