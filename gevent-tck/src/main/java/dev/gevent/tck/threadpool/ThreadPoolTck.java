package dev.gevent.tck.threadpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.event.AsyncResult;
import dev.gevent.tck.GeventTck;
import dev.gevent.threadpool.ThreadPool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a thread pool runs and how (gevent: {@code ThreadPool.spawn}, {@code ThreadPool.apply},
 * {@code maxsize}): functions run on real platform threads of the pool, their value or exception
 * comes back through the result, at most {@code maxThreads} run at once and the rest start in the
 * order they were spawned.
 */
@GeventTck
public class ThreadPoolTck {

    @Test
    void spawnRunsTheFunctionOnAPoolThreadAndDeliversItsValue() {
        Hub hub = Gevent.getHub();
        try (ThreadPool pool = new ThreadPool(2)) {
            AsyncResult<Thread> result = pool.spawn(Thread::currentThread);
            Thread ran = result.get();
            assertTrue(result.successful());
            assertFalse(ran.isVirtual(), "a pool task runs on a platform thread, not in a greenlet: " + ran);
            assertNotSame(hub.thread(), ran, "a pool task must not run on the hub thread");
            assertTrue(ran.isDaemon(), ran + " would keep the JVM alive");
            assertTrue(ran.getName().startsWith("gevent-threadpool-"), ran.getName());
        }
    }

    @Test
    void aGreenletMaySpawnAndApply() {
        try (ThreadPool pool = new ThreadPool(2)) {
            Greenlet<String> g = Gevent.spawn(() -> {
                AsyncResult<Boolean> spawned = pool.spawn(() -> Thread.currentThread().isVirtual());
                int applied = pool.apply(() -> 6 * 7);
                return spawned.get() + " " + applied;
            });
            assertEquals("false 42", g.get());
        }
    }

    @Test
    void applyReturnsTheValue() {
        try (ThreadPool pool = new ThreadPool(1)) {
            assertEquals("value", pool.apply(() -> "value"));
            assertNull(pool.apply(() -> null));
        }
    }

    @Test
    void applyRethrowsARuntimeExceptionOrAnErrorAsItIs() {
        IllegalStateException boom = new IllegalStateException("boom");
        InternalError error = new InternalError("broken");
        try (ThreadPool pool = new ThreadPool(1)) {
            assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.apply(() -> {
                throw boom;
            })));
            assertSame(error, assertThrows(InternalError.class, () -> pool.apply(() -> {
                throw error;
            })));
        }
    }

    @Test
    void applyWrapsACheckedExceptionInCompletionException() {
        IOException checked = new IOException("no disk");
        try (ThreadPool pool = new ThreadPool(1)) {
            CompletionException thrown = assertThrows(CompletionException.class, () -> pool.apply(() -> {
                throw checked;
            }));
            assertSame(checked, thrown.getCause());
        }
    }

    @Test
    void aFailedTaskIsDeliveredAsTheResultsExceptionAndNotReported() {
        List<Throwable> reported = Collections.synchronizedList(new ArrayList<>());
        Gevent.getHub().setErrorHandler((context, error) -> reported.add(error));
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        AtomicReference<Thread> failedOn = new AtomicReference<>();
        try (ThreadPool pool = new ThreadPool(1)) {
            AsyncResult<Object> result = pool.spawn(() -> {
                failedOn.set(Thread.currentThread());
                throw boom;
            });
            assertNull(result.await());
            assertFalse(result.successful());
            assertSame(boom, result.exception());
            // The thread survived the failure: a one-thread pool runs the next task on it (an idle thread lasts a minute).
            assertSame(failedOn.get(), pool.apply(Thread::currentThread));
        }
        assertEquals(List.of(), reported, "a failed pool task was reported as an unhandled error");
    }

    @Test
    void maxThreadsBoundsTheTasksRunningAtOnce() {
        int maxThreads = 3;
        int tasks = 5 * maxThreads;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        Set<String> threadNames = ConcurrentHashMap.newKeySet();
        AsyncResult<Void> full = new AsyncResult<>();
        CountDownLatch release = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(maxThreads)) {
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int index = i;
                results.add(pool.spawn(() -> {
                    threadNames.add(Thread.currentThread().getName());
                    int now = running.incrementAndGet();
                    mostRunning.accumulateAndGet(now, Math::max);
                    if (now == maxThreads) {
                        full.set(null);
                    }
                    release.await();
                    running.decrementAndGet();
                    return index;
                }));
            }
            full.get();
            release.countDown();
            for (int i = 0; i < tasks; i++) {
                assertEquals(i, results.get(i).get());
            }
        }
        assertEquals(maxThreads, mostRunning.get(), "tasks running at once");
        assertTrue(threadNames.size() <= maxThreads, "more threads than maxThreads: " + threadNames);
    }

    @Test
    void tasksBeyondMaxThreadsStartInTheOrderTheyWereSpawned() {
        List<Integer> started = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(1)) {
            AsyncResult<Void> blocker = pool.spawn(() -> {
                release.await();
                return null;
            });
            List<AsyncResult<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int index = i;
                queued.add(pool.spawn(() -> {
                    started.add(index);
                    return index;
                }));
            }
            release.countDown();
            blocker.get();
            for (AsyncResult<Integer> r : queued) {
                r.get();
            }
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), started);
    }

    @Test
    void maxThreadsMustBeAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> new ThreadPool(0));
        assertThrows(IllegalArgumentException.class, () -> new ThreadPool(-1));
        try (ThreadPool one = new ThreadPool(1)) {
            assertEquals(1, one.maxThreads());
        }
    }

    @Test
    void spawnRejectsANullFunction() {
        try (ThreadPool pool = new ThreadPool(1)) {
            assertThrows(NullPointerException.class, () -> pool.spawn(null));
        }
    }
}
