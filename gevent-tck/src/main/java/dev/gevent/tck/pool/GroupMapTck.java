package dev.gevent.tck.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.pool.Group;
import dev.gevent.pool.Pool;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code apply}, {@code apply_async}, {@code map}, {@code imap} and {@code imap_unordered} of
 * gevent's Group and Pool: values in input (or completion) order, the first failure raised as the
 * same instance and the rest of the work killed, imap pulling its input only as it needs it and
 * keeping at most the pool's size in flight, and calls from a member running in the caller.
 */
@GeventTck
public class GroupMapTck {

    private static final Duration LONG = Duration.ofSeconds(60);
    private static final Duration STEP = Duration.ofMillis(20);

    /** 0, 1, ... n-1, counting how many were pulled. */
    private static final class Items implements Iterable<Integer> {
        final int n;
        int pulled;

        Items(int n) {
            this.n = n;
        }

        @Override
        public Iterator<Integer> iterator() {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return pulled < n;
                }

                @Override
                public Integer next() {
                    if (pulled >= n) {
                        throw new NoSuchElementException();
                    }
                    return pulled++;
                }
            };
        }
    }

    /** Counts running tasks and remembers the most seen at once. */
    private static final class InFlight {
        int running;
        int most;

        void enter() {
            most = Math.max(most, ++running);
        }

        void leave() {
            running--;
        }
    }

    /** A pool of {@code size}, or a plain group for 0. */
    private static Group group(int size) {
        return size == 0 ? new Group() : new Pool(size);
    }

    /** Sleeps longer for smaller items: item i of n finishes after (n - i) steps. */
    private static void sleepInversely(int item, int n) {
        Gevent.sleep(STEP.multipliedBy(n - item));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void applyReturnsTheValueAndRaisesTheSameInstance(int size) {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        Group group = group(size);
        assertEquals(42, group.apply(() -> 42));
        Greenlet<?> main = Gevent.getCurrent();
        assertNotSame(main, group.apply(() -> Gevent.getCurrent()), "apply runs the function in a greenlet of the group");
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> group.apply(() -> {
            throw boom;
        })));
        IOException checked = new IOException("checked");
        CompletionException wrapped = assertThrows(CompletionException.class, () -> group.apply(() -> {
            throw checked;
        }));
        assertSame(checked, wrapped.getCause());
        assertEquals(0, group.size());
    }

    @Test
    void applyAndMapFromAMemberRunInTheCaller() {
        Pool pool = new Pool(1);
        Greenlet<List<Object>> member = pool.spawn(() -> {
            List<Object> seen = new ArrayList<>();
            seen.add(pool.apply(() -> Gevent.getCurrent()));
            seen.addAll(pool.map(x -> Gevent.getCurrent(), List.of(1, 2)));
            Iterator<Object> it = pool.imap(x -> Gevent.getCurrent(), List.of(3));
            seen.add(it.next());
            return seen;
        });
        List<Object> seen = member.get();
        assertEquals(4, seen.size());
        for (Object current : seen) {
            assertSame(member, current, "a member's apply/map runs inline; a pool of one would otherwise never have room");
        }
    }

    @Test
    void applyAsyncReturnsTheMemberAtOnce() {
        Group group = new Group();
        Greenlet<String> g = group.applyAsync(() -> "value");
        assertTrue(group.contains(g));
        assertEquals("value", g.get());
        assertFalse(group.contains(g));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void mapReturnsValuesInInputOrder(int size) {
        Group group = group(size);
        int n = 6;
        List<Integer> finished = new ArrayList<>();
        List<Integer> values = group.map(i -> {
            sleepInversely(i, n);
            finished.add(i);
            return i * 10;
        }, new Items(n));
        assertEquals(List.of(0, 10, 20, 30, 40, 50), values);
        if (size == 0) {
            assertEquals(List.of(5, 4, 3, 2, 1, 0), finished, "a plain group runs every item at once");
        }
        assertEquals(0, group.size());
        assertEquals(List.of(), group.map(i -> i, List.<Integer>of()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void mapRaisesTheFirstFailureAndKillsTheRest(int size) {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        Group group = group(size);
        int n = 6;
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finallies = new AtomicInteger();
        Items items = new Items(n);
        RuntimeException raised = assertThrows(RuntimeException.class, () -> group.map(i -> {
            started.incrementAndGet();
            try {
                if (i == 1) {
                    Gevent.sleep(STEP.multipliedBy(2));
                    throw second;
                }
                if (i == 2) {
                    Gevent.sleep(STEP);
                    throw first;
                }
                Gevent.sleep(LONG);
                return i;
            } finally {
                finallies.incrementAndGet();
            }
        }, items));
        assertSame(first, raised, "map raises the failure that came first, as it is");
        int expectedStarts = size == 0 ? n : size;
        assertEquals(expectedStarts, started.get());
        assertEquals(expectedStarts, finallies.get(), "the other workers were killed and ran their finally blocks");
        assertEquals(size == 0 ? n : size, items.pulled, "no item is spawned after the failure");
        assertEquals(0, group.size());
    }

    @Test
    void mapWrapsACheckedFailure() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        IOException checked = new IOException("checked");
        CompletionException wrapped = assertThrows(CompletionException.class, () -> new Pool(2).map(i -> {
            throw checked;
        }, List.of(1, 2, 3)));
        assertSame(checked, wrapped.getCause());
    }

    @Test
    void mapInAPoolKeepsAtMostItsSizeRunning() {
        Pool pool = new Pool(3);
        InFlight flight = new InFlight();
        List<Integer> values = pool.map(i -> {
            flight.enter();
            try {
                Gevent.sleep();
                return i;
            } finally {
                flight.leave();
            }
        }, new Items(30));
        assertEquals(30, values.size());
        assertEquals(29, values.get(29));
        assertEquals(3, flight.most);
    }

    @Test
    void imapIsOrderedLazyAndBoundedByThePoolSize() {
        int size = 3;
        int n = 6;
        Pool pool = new Pool(size);
        Items items = new Items(n);
        InFlight flight = new InFlight();
        Iterator<Integer> it = pool.imap(i -> {
            flight.enter();
            try {
                sleepInversely(i, n);
                return i * 10;
            } finally {
                flight.leave();
            }
        }, items);
        assertEquals(0, items.pulled, "nothing is pulled before the first hasNext()");
        List<Integer> values = new ArrayList<>();
        while (it.hasNext()) {
            values.add(it.next());
            assertTrue(items.pulled <= values.size() + size,
                    "pulled " + items.pulled + " items to hand out " + values.size());
        }
        assertEquals(List.of(0, 10, 20, 30, 40, 50), values);
        assertEquals(size, flight.most, "at most the pool's size in flight, and that many");
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
        assertEquals(0, pool.size());
    }

    @Test
    void imapKeepsAtMostThePoolSizeInFlight() {
        Pool pool = new Pool(4);
        Items items = new Items(40);
        InFlight flight = new InFlight();
        Iterator<Integer> it = pool.imap(i -> {
            flight.enter();
            try {
                Gevent.sleep();
                return i;
            } finally {
                flight.leave();
            }
        }, items);
        int count = 0;
        while (it.hasNext()) {
            assertEquals(count, it.next());
            count++;
            assertTrue(items.pulled <= count + 4);
        }
        assertEquals(40, count);
        assertEquals(4, flight.most);
    }

    @Test
    void imapOnAPlainGroupSpawnsEveryItemAtTheFirstHasNext() {
        Group group = new Group();
        Items items = new Items(5);
        Iterator<Integer> it = group.imap(i -> i + 1, items);
        assertEquals(0, items.pulled);
        assertTrue(it.hasNext());
        assertEquals(5, items.pulled);
        List<Integer> values = new ArrayList<>();
        it.forEachRemaining(values::add);
        assertEquals(List.of(1, 2, 3, 4, 5), values);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5})
    void imapUnorderedHandsOutValuesAsTheyFinish(int size) {
        Group group = group(size);
        int n = 5;
        Iterator<Integer> it = group.imapUnordered(i -> {
            sleepInversely(i, n);
            return i;
        }, new Items(n));
        List<Integer> values = new ArrayList<>();
        it.forEachRemaining(values::add);
        assertEquals(List.of(4, 3, 2, 1, 0), values);
    }

    @Test
    void imapUnorderedInAPoolOfOneFollowsTheInput() {
        Pool pool = new Pool(1);
        List<Integer> values = new ArrayList<>();
        pool.imapUnordered(i -> {
            sleepInversely(i, 3);
            return i;
        }, new Items(3)).forEachRemaining(values::add);
        assertEquals(List.of(0, 1, 2), values);
    }

    @Test
    void imapRaisesAFailureAtItsTurnThenKillsTheRestAndEnds() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        Group group = new Group();
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicInteger finallies = new AtomicInteger();
        Iterator<Integer> it = group.imap(i -> {
            try {
                switch (i) {
                    case 0 -> Gevent.sleep(STEP);
                    case 1 -> throw boom;
                    default -> Gevent.sleep(LONG);
                }
                return i;
            } finally {
                finallies.incrementAndGet();
            }
        }, new Items(3));
        assertEquals(0, it.next(), "the value before the failure comes first");
        assertSame(boom, assertThrows(IllegalStateException.class, it::next));
        assertFalse(it.hasNext());
        assertEquals(3, finallies.get(), "the item still running was killed");
        assertEquals(0, group.size());
    }

    @Test
    void imapUnorderedRaisesAFailureWhenItComes() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        Pool pool = new Pool(2);
        IOException checked = new IOException("checked");
        Iterator<Integer> it = pool.imapUnordered(i -> {
            if (i == 0) {
                Gevent.sleep(LONG);
            }
            throw checked;
        }, new Items(2));
        CompletionException wrapped = assertThrows(CompletionException.class, it::next);
        assertSame(checked, wrapped.getCause());
        assertFalse(it.hasNext());
        assertEquals(0, pool.size());
    }
}
