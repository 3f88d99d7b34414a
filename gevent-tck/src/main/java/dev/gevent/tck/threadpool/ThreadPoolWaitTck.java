package dev.gevent.tck.threadpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.LoopExit;
import dev.gevent.Timeout;
import dev.gevent.event.AsyncResult;
import dev.gevent.event.Event;
import dev.gevent.tck.GeventTck;
import dev.gevent.threadpool.ThreadPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Waiting for a thread pool (gevent: {@code ThreadPool.apply}, {@code join}, {@code kill}): only
 * the waiting greenlet blocks, never the hub; the spawning hub is kept alive while a task is out
 * and let go when it ends; a kill or Timeout ends the wait but not the task; {@code close} waits
 * for what was spawned, cooperatively, and then refuses new tasks.
 */
@GeventTck
public class ThreadPoolWaitTck {

    /** The limit for a kill to end a wait: generous, the task it leaves running lasts far longer. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @Test
    void theHubRunsOtherGreenletsWhileATaskBlocks() {
        Event taskWaiting = new Event();
        CountDownLatch unblock = new CountDownLatch(1);
        AtomicInteger ticks = new AtomicInteger();
        try (ThreadPool pool = new ThreadPool(1)) {
            Greenlet<Void> ticker = Gevent.spawn(() -> {
                taskWaiting.await();
                for (int i = 0; i < 10; i++) {
                    ticks.incrementAndGet();
                    Gevent.sleep(i % 2 == 0 ? Duration.ZERO : Duration.ofMillis(1));
                }
                unblock.countDown();
            });
            // The task cannot end before the ticker is done: every tick happened while it blocked.
            String seen = pool.apply(() -> {
                taskWaiting.set();
                unblock.await();
                return "ticks " + ticks.get();
            });
            assertEquals("ticks 10", seen);
            ticker.join();
        }
    }

    @Test
    void aMainGreenletWaitingOnlyForATaskGetsNoLoopExit() {
        try (ThreadPool pool = new ThreadPool(1)) {
            for (int round = 0; round < 20; round++) {
                int expected = round;
                CountDownLatch go = new CountDownLatch(1);
                AsyncResult<Integer> result = pool.spawn(() -> {
                    go.await();
                    return expected;
                });
                // The task goes on only once the hub has nothing else to run: then only the pool can wake it.
                Gevent.spawn(() -> {
                    Gevent.idle();
                    go.countDown();
                });
                assertEquals(expected, result.get());
            }
        }
    }

    @Test
    void theKeepAliveEndsWithTheTask() {
        try (ThreadPool pool = new ThreadPool(1)) {
            assertEquals(1, pool.apply(() -> 1));
        }
        assertThrows(LoopExit.class, () -> Gevent.getHub().newWaiter().get(),
                "a delivered task must no longer keep the hub alive");
    }

    @Test
    void killingAGreenletBlockedInApplyEndsItsWaitButNotTheTask() {
        List<Throwable> reported = Collections.synchronizedList(new ArrayList<>());
        Gevent.getHub().setErrorHandler((context, error) -> reported.add(error));
        AsyncResult<Void> started = new AsyncResult<>();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        try (ThreadPool pool = new ThreadPool(1)) {
            Greenlet<String> caller = Gevent.spawn(() -> pool.apply(() -> {
                started.set(null);
                release.await();
                finished.set(true);
                return "late";
            }));
            started.get();
            long start = System.nanoTime();
            caller.kill();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(caller.dead());
            assertTrue(took.compareTo(PROMPTLY) < 0, "kill took " + took.toMillis() + " ms");
            assertFalse(finished.get(), "the task is not cancelled with its caller");
            release.countDown();
        }
        assertTrue(finished.get());
        assertThrows(LoopExit.class, () -> Gevent.getHub().newWaiter().get(),
                "the end of the task must let the hub go although its caller was killed");
        assertEquals(List.of(), reported);
    }

    @Test
    void aTimeoutEndsTheWaitOfApply() {
        CountDownLatch release = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(1)) {
            Timeout timeout = Timeout.startNew(Duration.ofMillis(50));
            try {
                assertSame(timeout, assertThrows(Timeout.class, () -> pool.apply(() -> {
                    release.await();
                    return 1;
                })));
            } finally {
                timeout.cancel();
            }
            assertEquals(-1, Gevent.withTimeout(Duration.ofMillis(50), () -> pool.apply(() -> {
                release.await();
                return 2;
            }), -1));
            release.countDown();
            assertEquals(3, pool.apply(() -> 3), "the pool goes on once the timed-out tasks end");
        }
    }

    @Test
    void closeWaitsForRunningTasksThenRefusesNewOnes() {
        ThreadPool pool = new ThreadPool(2);
        AsyncResult<Void> started = new AsyncResult<>();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AsyncResult<String> result = pool.spawn(() -> {
            started.set(null);
            release.await();
            finished.set(true);
            return "done";
        });
        started.get();
        // Runs only once the main greenlet blocks, inside close(): close must not block the hub.
        Gevent.spawn(() -> release.countDown());
        pool.close();
        assertTrue(finished.get(), "close returned before the running task ended");
        assertEquals("done", result.getNow());
        assertThrows(IllegalStateException.class, () -> pool.spawn(() -> 1));
        assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
        pool.close();
    }

    @Test
    void closeRunsTheTasksStillQueued() {
        ThreadPool pool = new ThreadPool(1);
        CountDownLatch release = new CountDownLatch(1);
        AsyncResult<String> first = pool.spawn(() -> {
            release.await();
            return "first";
        });
        AsyncResult<String> second = pool.spawn(() -> "second");
        AsyncResult<String> third = pool.spawn(() -> "third");
        Gevent.spawn(() -> release.countDown());
        pool.close();
        assertEquals("first second third", first.getNow() + " " + second.getNow() + " " + third.getNow());
    }

    @Test
    void closeFromOneOfThePoolsOwnTasksDoesNotWaitForItself() {
        ThreadPool pool = new ThreadPool(1);
        AsyncResult<String> result = pool.spawn(() -> {
            pool.close();
            return "closed from inside";
        });
        assertEquals("closed from inside", result.get());
        assertThrows(IllegalStateException.class, () -> pool.spawn(() -> 1));
        pool.close();
    }
}
