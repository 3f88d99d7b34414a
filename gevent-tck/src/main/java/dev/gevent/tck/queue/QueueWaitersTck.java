package dev.gevent.tck.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.LoopExit;
import dev.gevent.Timeout;
import dev.gevent.queue.Empty;
import dev.gevent.queue.Full;
import dev.gevent.queue.Queue;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Greenlets blocked on a queue (gevent: {@code Queue.get}, {@code put}, {@code peek} with
 * {@code block=True}): getters and putters are served in arrival order, a put to a waiting getter
 * hands the item over without switching, and a waiter that times out or is killed leaves nothing
 * behind.
 */
@GeventTck
public class QueueWaitersTck {

    private static final Duration SHORT = Duration.ofMillis(30);

    @Test
    void gettersAreServedInArrivalOrder() {
        Queue<String> q = new Queue<>();
        List<Greenlet<String>> getters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            getters.add(Gevent.spawn(() -> q.get()));
        }
        Gevent.idle();
        q.put("a");
        q.put("b");
        q.put("c");
        List<String> got = new ArrayList<>();
        for (Greenlet<String> g : getters) {
            got.add(g.get());
        }
        assertEquals(List.of("a", "b", "c"), got);
        assertTrue(q.empty());
    }

    @Test
    void aPutToAWaitingGetterHandsTheItemOverWithoutSwitching() {
        Queue<String> q = new Queue<>(1);
        AtomicReference<String> got = new AtomicReference<>();
        Greenlet<Void> getter = Gevent.spawn(() -> got.set(q.get()));
        Gevent.idle();
        q.put("a");
        assertNull(got.get(), "the put switched to the getter");
        assertEquals(0, q.qsize(), "an item handed to a waiting getter still counts in qsize()");
        q.put("b");
        assertEquals(1, q.qsize());
        getter.join();
        assertEquals("a", got.get());
        assertEquals("b", q.getNowait());
    }

    @Test
    void puttersBlockedOnAFullQueueAreResumedInArrivalOrder() {
        Queue<Integer> q = new Queue<>(1);
        q.put(0);
        List<Integer> finished = new ArrayList<>();
        List<Greenlet<Void>> putters = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int item = i;
            putters.add(Gevent.spawn(() -> {
                q.put(item);
                finished.add(item);
            }));
        }
        Gevent.idle();
        assertEquals(List.of(), finished, "a put on a full queue did not block");
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            got.add(q.get());
        }
        Gevent.joinAll(putters);
        assertEquals(List.of(0, 1, 2, 3), got);
        assertEquals(List.of(1, 2, 3), finished);
        assertTrue(q.empty());
    }

    @Test
    void getTimeoutThrowsEmptyAndLeavesNoGetterBehind() {
        Queue<String> q = new Queue<>();
        Duration timeout = Duration.ofMillis(50);
        long start = System.nanoTime();
        Empty e = assertThrows(Empty.class, () -> q.get(timeout));
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(tookMs >= 40, "get(50 ms) gave up after " + tookMs + " ms");
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        q.put("a");
        assertEquals("a", q.getNowait(), "the timed-out getter swallowed the next item");
    }

    @Test
    void aTimedOutGetterDoesNotSwallowTheNextItem() {
        Queue<String> q = new Queue<>();
        Greenlet<String> impatient = Gevent.spawn(() -> {
            try {
                return q.get(SHORT);
            } catch (Empty e) {
                return "timed out";
            }
        });
        Greenlet<String> patient = Gevent.spawn(() -> q.get());
        assertEquals("timed out", impatient.get());
        q.put("a");
        assertEquals("a", patient.get());
    }

    @Test
    void putTimeoutThrowsFullAndDoesNotAddTheItem() {
        Queue<String> q = new Queue<>(1);
        q.put("a");
        assertThrows(Full.class, () -> q.put("b", SHORT));
        assertEquals(1, q.qsize());
        assertEquals("a", q.getNowait());
        assertThrows(Empty.class, q::getNowait);
        q.putNowait("c");
    }

    @Test
    void peekBlocksUntilAnItemArrivesAndLeavesItInTheQueue() {
        Queue<String> q = new Queue<>();
        List<Greenlet<String>> peekers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            peekers.add(Gevent.spawn(() -> q.peek()));
        }
        Gevent.idle();
        q.put("a");
        for (Greenlet<String> p : peekers) {
            assertEquals("a", p.get());
        }
        assertEquals(1, q.qsize());
        assertEquals("a", q.getNowait());
    }

    @Test
    void peekTimeoutThrowsEmptyAndLeavesNoPeekerBehind() {
        Queue<String> q = new Queue<>();
        assertThrows(Empty.class, () -> q.peek(SHORT));
        q.put("a");
        assertEquals("a", q.peekNowait());
        assertEquals(1, q.qsize());
    }

    @Test
    void aKilledGetterDiesAndTheNextItemGoesToTheNextGetter() {
        Queue<String> q = new Queue<>();
        Greenlet<String> first = Gevent.spawn(() -> q.get());
        Greenlet<String> second = Gevent.spawn(() -> q.get());
        Gevent.idle();
        first.kill();
        assertTrue(first.dead());
        assertTrue(first.successful(), "a GreenletExit counts as success");
        q.put("a");
        assertEquals("a", second.get());
        assertTrue(q.empty());
    }

    @Test
    void aKilledPutterDoesNotAddItsItem() {
        Queue<String> q = new Queue<>(1);
        q.put("a");
        Greenlet<Void> putter = Gevent.spawn(() -> q.put("b"));
        Gevent.idle();
        putter.kill();
        assertTrue(putter.dead());
        assertEquals("a", q.getNowait());
        assertThrows(Empty.class, q::getNowait);
        q.putNowait("c");
        assertEquals("c", q.getNowait());
    }

    @Test
    void aTimeoutAroundGetLeavesNoGetterBehind() {
        Queue<String> q = new Queue<>();
        Timeout timeout = Timeout.startNew(SHORT);
        try {
            q.get();
            fail("get() on an empty queue returned");
        } catch (Timeout t) {
            assertSame(timeout, t);
        } finally {
            timeout.cancel();
        }
        q.put("a");
        assertEquals("a", q.getNowait());
    }

    @Test
    void aTimeoutAroundPutDoesNotAddTheItem() {
        Queue<String> q = new Queue<>(1);
        q.put("a");
        Timeout timeout = Timeout.startNew(SHORT);
        try {
            q.put("b");
            fail("put() on a full queue returned");
        } catch (Timeout t) {
            assertSame(timeout, t);
        } finally {
            timeout.cancel();
        }
        assertEquals(1, q.qsize());
        assertEquals("a", q.getNowait());
    }

    @Test
    void aGetterKilledAfterBeingHandedAnItemPassesItToTheNextGetter() {
        Queue<String> q = new Queue<>();
        Greenlet<String> first = Gevent.spawn(() -> q.get());
        Greenlet<String> second = Gevent.spawn(() -> q.get());
        Gevent.idle();
        q.put("a");
        // The first getter holds "a" but has not run yet: the kill lands before its get returns.
        first.killAsync(new GreenletExit());
        assertEquals("a", second.get());
        first.join();
        assertTrue(first.successful());
        assertTrue(q.empty());
    }

    @Test
    void aGetterKilledAfterBeingHandedAnItemPutsItBackFirstInLine() {
        Queue<String> q = new Queue<>();
        Greenlet<String> getter = Gevent.spawn(() -> q.get());
        Gevent.idle();
        q.put("a");
        q.put("b");
        getter.killAsync(new GreenletExit());
        getter.join();
        assertEquals("a", q.getNowait());
        assertEquals("b", q.getNowait());
        assertTrue(q.empty());
    }

    @Test
    void mainGreenletBlockedOnAQueueIsServedByAGreenlet() {
        Queue<String> q = new Queue<>(1);
        Gevent.spawn(() -> {
            q.put("a");
            q.put("b");
            q.put("c");
        });
        assertEquals("a", q.get());
        assertEquals("b", q.get());
        assertEquals("c", q.get());
    }

    @Test
    void aGetThatNothingCouldEverEndThrowsLoopExitAndLeavesNoGetterBehind() {
        Queue<String> q = new Queue<>();
        assertThrows(LoopExit.class, () -> q.get());
        q.put("a");
        assertEquals("a", q.getNowait());
    }
}
