package dev.gevent.tck.threadpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.event.AsyncResult;
import dev.gevent.tck.GeventTck;
import dev.gevent.threadpool.ThreadPool;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Thread pools and hubs (gevent: {@code hub.threadpool}, one hub per thread): each hub has its own
 * default pool, closed with it; one pool serves greenlets of several hubs and plain threads, and
 * each waiter is resumed on its own hub.
 */
@GeventTck
public class ThreadPoolHubsTck {

    /** A bound for waits across hubs, which do not keep the waiting hub alive: far beyond any real wait. */
    private static final Duration LONG = Duration.ofSeconds(60);

    /** Runs {@code body} in a greenlet of a new hub, closes that hub, and returns what the body returned. */
    private static <T> T onNewHub(String name, Callable<T> body) {
        Hub hub = Hub.startThread(name);
        try {
            AsyncResult<T> out = new AsyncResult<>();
            hub.spawn(() -> {
                try {
                    out.set(body.call());
                } catch (Throwable e) {
                    out.setException(e);
                }
            });
            return out.get(LONG);
        } finally {
            hub.close();
        }
    }

    @Test
    void theDefaultPoolIsOnePerHubAndClosedWithItsHub() {
        ThreadPool mine = ThreadPool.forHub();
        assertSame(mine, ThreadPool.forHub());
        assertSame(mine, Gevent.spawn(() -> ThreadPool.forHub()).get(), "a greenlet of the hub sees the same pool");
        ThreadPool theirs = onNewHub("threadpool-default", () -> {
            ThreadPool pool = ThreadPool.forHub();
            assertSame(pool, ThreadPool.forHub());
            assertEquals("ran", pool.apply(() -> "ran"));
            return pool;
        });
        assertNotSame(mine, theirs, "another hub has another default pool");
        assertThrows(IllegalStateException.class, () -> theirs.spawn(() -> 1), "the default pool of a closed hub is closed");
        assertEquals("still open", mine.apply(() -> "still open"));
    }

    @Test
    void theDefaultPoolSizeComesFromTheSetting() {
        String before = System.getProperty(ThreadPool.SIZE_PROPERTY);
        try {
            System.setProperty(ThreadPool.SIZE_PROPERTY, "3");
            assertEquals(3, onNewHub("threadpool-size", () -> ThreadPool.forHub().maxThreads()));
            for (String bad : new String[] {"three", "0", "-2"}) {
                System.setProperty(ThreadPool.SIZE_PROPERTY, bad);
                IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                        () -> onNewHub("threadpool-bad-size", ThreadPool::forHub));
                assertTrue(thrown.getMessage().contains(ThreadPool.SIZE_PROPERTY), thrown.getMessage());
            }
            System.clearProperty(ThreadPool.SIZE_PROPERTY);
            if (System.getenv(ThreadPool.SIZE_ENV) == null) {
                assertEquals(ThreadPool.DEFAULT_SIZE, onNewHub("threadpool-default-size", () -> ThreadPool.forHub().maxThreads()));
                assertEquals(10, ThreadPool.DEFAULT_SIZE, "gevent's default");
            }
        } finally {
            if (before == null) {
                System.clearProperty(ThreadPool.SIZE_PROPERTY);
            } else {
                System.setProperty(ThreadPool.SIZE_PROPERTY, before);
            }
        }
    }

    @Test
    void tasksFromTwoHubsAreDeliveredEachOnItsOwnHub() {
        CountDownLatch bothRunning = new CountDownLatch(2);
        try (ThreadPool pool = new ThreadPool(2)) {
            Hub a = Hub.startThread("threadpool-hub-a");
            Hub b = Hub.startThread("threadpool-hub-b");
            try {
                AsyncResult<String> fromA = applyOn(a, pool, bothRunning);
                AsyncResult<String> fromB = applyOn(b, pool, bothRunning);
                assertEquals("threadpool-hub-a", fromA.get(LONG));
                assertEquals("threadpool-hub-b", fromB.get(LONG));
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /**
     * Applies a task in a greenlet of {@code hub}; the task waits until the other hub's task runs
     * too, so that both hubs have work out at once. The result is the name of the thread the greenlet
     * was resumed on, as seen by a hub-thread-only call.
     */
    private static AsyncResult<String> applyOn(Hub hub, ThreadPool pool, CountDownLatch bothRunning) {
        AsyncResult<String> out = new AsyncResult<>();
        hub.spawn(() -> {
            try {
                String worker = pool.apply(() -> {
                    bothRunning.countDown();
                    bothRunning.await();
                    return Thread.currentThread().getName();
                });
                assertTrue(worker.startsWith("gevent-threadpool-"), worker);
                assertSame(hub, Gevent.getHub());
                // callSoon throws unless called on the hub's own thread.
                hub.callSoon(() -> { });
                out.set(hub.thread().getName());
            } catch (Throwable e) {
                out.setException(e);
            }
        });
        return out;
    }

    @Test
    void aPlainThreadMaySpawnAndWaitersOfTwoHubsShareTheResult() throws InterruptedException {
        CompletableFuture<AsyncResult<String>> handedOver = new CompletableFuture<>();
        CompletableFuture<String> seenByThePlainThread = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(1)) {
            Thread plain = Thread.ofPlatform().name("threadpool-plain").start(() -> {
                try {
                    AsyncResult<String> result = pool.spawn(() -> {
                        release.await();
                        return "shared";
                    });
                    handedOver.complete(result);
                    seenByThePlainThread.complete(result.get());
                } catch (Throwable e) {
                    handedOver.completeExceptionally(e);
                    seenByThePlainThread.completeExceptionally(e);
                } finally {
                    // The wait made a hub for this thread; a test leaves nothing open.
                    Gevent.getHub().close();
                }
            });
            AsyncResult<String> result = AsyncResult.of(handedOver).get();
            Gevent.spawn(() -> release.countDown());
            assertEquals("shared", result.get(LONG));
            assertEquals("shared", AsyncResult.of(seenByThePlainThread).get());
            plain.join();
        }
    }
}
