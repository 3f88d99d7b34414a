package dev.gevent.tck.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.queue.JoinableQueue;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Counting unfinished tasks (gevent: {@code JoinableQueue.task_done}, {@code join}): every item put
 * is a task, {@code join} returns once each has been marked done, and marking more than were put
 * is an error.
 */
@GeventTck
public class JoinableQueueTck {

    @Test
    void joinReturnsOnceEveryItemIsMarkedDone() {
        JoinableQueue<String> q = new JoinableQueue<>();
        List<String> processed = new ArrayList<>();
        Gevent.spawn(() -> {
            while (true) {
                String item = q.get();
                try {
                    Gevent.sleep();
                    processed.add(item);
                } finally {
                    q.taskDone();
                }
            }
        });
        for (String item : List.of("a", "b", "c")) {
            q.put(item);
        }
        assertEquals(3, q.unfinishedTasks());
        q.join();
        assertEquals(List.of("a", "b", "c"), processed);
        assertEquals(0, q.unfinishedTasks());
    }

    @Test
    void joinOnAQueueWithNoUnfinishedTaskReturnsAtOnce() {
        JoinableQueue<String> q = new JoinableQueue<>();
        AtomicBoolean otherRan = new AtomicBoolean();
        Gevent.spawn(() -> otherRan.set(true));
        q.join();
        assertTrue(q.join(Duration.ZERO));
        assertTrue(q.join(Duration.ofSeconds(1)));
        assertFalse(otherRan.get(), "join() with nothing unfinished switched to another greenlet");
    }

    @Test
    void joinWithTimeoutIsFalseWhileATaskIsUnfinished() {
        JoinableQueue<String> q = new JoinableQueue<>(1);
        q.put("a");
        long start = System.nanoTime();
        assertFalse(q.join(Duration.ofMillis(50)));
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(tookMs >= 40, "join(50 ms) gave up after " + tookMs + " ms");
        assertFalse(q.join(Duration.ZERO));
        assertEquals("a", q.getNowait());
        assertFalse(q.join(Duration.ZERO), "a task got but not marked done counts as unfinished");
        q.taskDone();
        assertTrue(q.join(Duration.ZERO));
    }

    @Test
    void taskDoneMoreOftenThanItemsWerePutIsAnError() {
        JoinableQueue<String> q = new JoinableQueue<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(e.getMessage().contains("taskDone"), "message: " + e.getMessage());
        q.put("a");
        q.getNowait();
        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
        assertEquals(0, q.unfinishedTasks());
    }

    @Test
    void everyItemTheQueueAcceptsIsATask() {
        JoinableQueue<String> q = new JoinableQueue<>(1);
        Greenlet<String> getter = Gevent.spawn(() -> q.get());
        Gevent.idle();
        q.put("handed to a waiting getter");
        q.put("stored");
        Greenlet<Void> blocked = Gevent.spawn(() -> q.put("let in by a get"));
        Greenlet<Void> killed = Gevent.spawn(() -> q.put("never put"));
        Gevent.idle();
        assertEquals(2, q.unfinishedTasks());
        killed.kill();
        assertEquals("stored", q.getNowait());
        blocked.join();
        assertEquals("handed to a waiting getter", getter.get());
        assertEquals(3, q.unfinishedTasks());
        assertEquals("let in by a get", q.getNowait());
        assertTrue(q.empty());
    }

    @Test
    void everyJoinerIsWokenInArrivalOrderByTheLastTaskDone() {
        JoinableQueue<String> q = new JoinableQueue<>();
        q.put("a");
        q.put("b");
        List<Integer> woken = new ArrayList<>();
        List<Greenlet<Void>> joiners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            joiners.add(Gevent.spawn(() -> {
                q.join();
                woken.add(id);
            }));
        }
        Gevent.idle();
        q.getNowait();
        q.getNowait();
        q.taskDone();
        Gevent.idle();
        assertEquals(List.of(), woken, "join() returned with a task unfinished");
        q.taskDone();
        Gevent.joinAll(joiners);
        assertEquals(List.of(0, 1, 2), woken);
    }

    @Test
    void aJoinerThatTimesOutLeavesNothingBehind() {
        JoinableQueue<String> q = new JoinableQueue<>();
        q.put("a");
        Greenlet<Boolean> impatient = Gevent.spawn(() -> q.join(Duration.ofMillis(20)));
        Greenlet<Boolean> patient = Gevent.spawn(() -> q.join(Duration.ofSeconds(20)));
        assertFalse(impatient.get());
        q.getNowait();
        q.taskDone();
        assertTrue(patient.get());
    }
}
