package dev.gevent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TimerHeapTest {
    private static final class T extends Timer {
        T() {
            super(null);
        }

        @Override
        void fire() {
        }
    }

    @Test
    void pollsInDeadlineThenInsertionOrderUnderRandomAddsAndRemoves() {
        Random random = new Random(42);
        TimerHeap heap = new TimerHeap();
        List<T> model = new ArrayList<>();
        for (int round = 0; round < 20_000; round++) {
            int op = random.nextInt(10);
            if (op < 6) {
                T t = new T();
                heap.add(t, random.nextInt(50));
                model.add(t);
            } else if (op < 8 && !model.isEmpty()) {
                T t = model.remove(random.nextInt(model.size()));
                assertTrue(heap.remove(t));
                assertFalse(heap.remove(t), "a removed timer is no longer in the heap");
            } else {
                model.sort(Comparator.<T>comparingLong(t -> t.deadline).thenComparingLong(t -> t.seq));
                Timer expected = model.isEmpty() ? null : model.getFirst();
                assertEquals(expected, heap.peek());
                if (expected != null && heap.pollExpired(expected.deadline) == expected) {
                    model.removeFirst();
                }
            }
            assertEquals(model.size(), heap.size());
        }
    }

    @Test
    void pollExpiredLeavesFutureTimers() {
        TimerHeap heap = new TimerHeap();
        T a = new T();
        T b = new T();
        heap.add(b, 20);
        heap.add(a, 10);
        assertNull(heap.pollExpired(9));
        assertEquals(a, heap.pollExpired(10));
        assertNull(heap.pollExpired(19));
        assertEquals(b, heap.pollExpired(25));
        assertTrue(heap.isEmpty());
    }

    @Test
    void equalDeadlinesFireInInsertionOrder() {
        TimerHeap heap = new TimerHeap();
        List<T> added = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            T t = new T();
            heap.add(t, 5);
            added.add(t);
        }
        for (T t : added) {
            assertEquals(t, heap.pollExpired(5));
        }
    }
}
