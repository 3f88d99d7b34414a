package dev.gevent.tck.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.queue.Empty;
import dev.gevent.queue.Full;
import dev.gevent.queue.JoinableQueue;
import dev.gevent.queue.LifoQueue;
import dev.gevent.queue.PriorityQueue;
import dev.gevent.queue.Queue;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The queues without waiters (gevent: {@code gevent.queue.Queue}, {@code LifoQueue},
 * {@code PriorityQueue}): the order items come out in, sizes, the non-blocking calls, and the
 * arguments that are refused.
 */
@GeventTck
public class QueueTck {

    @Test
    void queueHandsOutItemsInTheOrderTheyWerePut() {
        Queue<Integer> q = new Queue<>();
        for (int i = 0; i < 5; i++) {
            q.put(i);
        }
        assertEquals(List.of(0, 1, 2, 3, 4), drain(q));
    }

    @Test
    void lifoQueueHandsOutTheNewestFirst() {
        LifoQueue<Integer> q = new LifoQueue<>(5);
        for (int i = 0; i < 5; i++) {
            q.put(i);
        }
        assertEquals(List.of(4, 3, 2, 1, 0), drain(q));
    }

    @Test
    void priorityQueueHandsOutTheLowestFirstInNaturalOrder() {
        PriorityQueue<Integer> q = new PriorityQueue<>();
        for (int i : new int[] {5, 1, 4, 2, 3}) {
            q.put(i);
        }
        assertEquals(1, q.peekNowait());
        assertEquals(List.of(1, 2, 3, 4, 5), drain(q));
    }

    @Test
    void priorityQueueFollowsAComparator() {
        PriorityQueue<String> q = new PriorityQueue<>(10, Comparator.comparingInt(String::length).reversed());
        for (String s : List.of("bb", "a", "dddd", "ccc")) {
            q.put(s);
        }
        assertEquals(List.of("dddd", "ccc", "bb", "a"), drain(q));
        assertEquals(10, q.maxsize());

        PriorityQueue<Integer> unbounded = new PriorityQueue<>(Comparator.reverseOrder());
        unbounded.put(1);
        unbounded.put(3);
        unbounded.put(2);
        assertEquals(List.of(3, 2, 1), drain(unbounded));
        assertEquals(-1, unbounded.maxsize());
    }

    @Test
    void sizesOfABoundedQueue() {
        Queue<String> q = new Queue<>(2);
        assertEquals(2, q.maxsize());
        assertEquals(0, q.qsize());
        assertTrue(q.empty());
        assertFalse(q.full());
        q.put("a");
        assertEquals(1, q.qsize());
        assertFalse(q.empty());
        assertFalse(q.full());
        q.put("b");
        assertEquals(2, q.qsize());
        assertTrue(q.full());
        q.get();
        assertFalse(q.full());
    }

    @Test
    void anUnboundedQueueIsNeverFullAndItsPutsNeverSwitch() {
        Queue<Integer> q = new Queue<>();
        assertEquals(-1, q.maxsize());
        AtomicBoolean otherRan = new AtomicBoolean();
        Gevent.spawn(() -> otherRan.set(true));
        for (int i = 0; i < 10_000; i++) {
            q.put(i);
        }
        assertFalse(q.full());
        assertEquals(10_000, q.qsize());
        assertFalse(otherRan.get(), "a put on an unbounded queue switched to another greenlet");
    }

    @Test
    void zeroOrNegativeMaxsizeIsRefusedAndPointsToChannel() {
        List<IntFunction<Queue<String>>> constructors = List.of(
                Queue::new, LifoQueue::new, PriorityQueue::new, JoinableQueue::new, n -> new PriorityQueue<>(n, null));
        for (IntFunction<Queue<String>> constructor : constructors) {
            for (int maxsize : new int[] {0, -1}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> constructor.apply(maxsize));
                assertTrue(e.getMessage().contains("Channel"), "message: " + e.getMessage());
                assertTrue(e.getMessage().contains(Integer.toString(maxsize)), "message: " + e.getMessage());
            }
        }
    }

    @Test
    void negativeTimeoutsAreRefusedNamingTheValue() {
        Queue<String> q = new Queue<>(1);
        Duration negative = Duration.ofMillis(-5);
        List<Executable> calls = List.of(
                () -> q.get(negative), () -> q.put("a", negative), () -> q.peek(negative),
                () -> new JoinableQueue<String>().join(negative));
        for (Executable call : calls) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().contains(negative.toString()), "message: " + e.getMessage());
        }
        assertTrue(q.empty(), "a refused put added its item");
    }

    @Test
    void nowaitCallsThrowEmptyAndFull() {
        Queue<String> q = new Queue<>(1);
        assertThrows(Empty.class, q::getNowait);
        assertThrows(Empty.class, q::peekNowait);
        q.putNowait("a");
        Full full = assertThrows(Full.class, () -> q.putNowait("b"));
        assertTrue(full.getMessage() != null && !full.getMessage().isEmpty());
        assertEquals("a", q.getNowait());
        assertThrows(Empty.class, q::getNowait);
    }

    @Test
    void zeroTimeoutsDoNotWait() {
        Queue<String> q = new Queue<>(1);
        AtomicBoolean otherRan = new AtomicBoolean();
        Gevent.spawn(() -> otherRan.set(true));
        assertThrows(Empty.class, () -> q.get(Duration.ZERO));
        assertThrows(Empty.class, () -> q.peek(Duration.ZERO));
        q.put("a", Duration.ZERO);
        assertThrows(Full.class, () -> q.put("b", Duration.ZERO));
        assertEquals("a", q.get(Duration.ZERO));
        assertFalse(otherRan.get(), "a call with a zero timeout switched to another greenlet");
    }

    @Test
    void peekReturnsTheNextItemWithoutRemovingIt() {
        Queue<String> q = new Queue<>();
        q.put("a");
        q.put("b");
        assertEquals("a", q.peek());
        assertEquals("a", q.peekNowait());
        assertEquals("a", q.peek(Duration.ofSeconds(1)));
        assertEquals(2, q.qsize());
        assertEquals("a", q.get());

        LifoQueue<String> lifo = new LifoQueue<>();
        lifo.put("a");
        lifo.put("b");
        assertEquals("b", lifo.peekNowait());
    }

    @Test
    void nullItemsAreRefused() {
        Queue<String> q = new Queue<>();
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.putNowait(null));
        assertTrue(q.empty());
    }

    @Test
    void toStringShowsSizes() {
        Queue<String> q = new Queue<>(3);
        q.put("a");
        String s = q.toString();
        assertTrue(s.contains("qsize=1") && s.contains("maxsize=3"), s);
    }

    private static <T> List<T> drain(Queue<T> q) {
        List<T> out = new ArrayList<>();
        while (!q.empty()) {
            out.add(q.getNowait());
        }
        return out;
    }
}
