package dev.gevent.tck.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Timeout;
import dev.gevent.queue.Channel;
import dev.gevent.queue.Empty;
import dev.gevent.queue.Full;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The rendezvous (gevent: {@code gevent.queue.Channel}, {@code Queue(0)}): a put waits until a get
 * takes its item, a get until a put offers one, both sides are served in arrival order, and
 * {@code balance()} counts who waits.
 */
@GeventTck
public class ChannelTck {

    private static final Duration SHORT = Duration.ofMillis(30);

    @Test
    void aPutBlocksUntilAGetTakesTheItem() {
        Channel<String> ch = new Channel<>();
        Greenlet<Void> putter = Gevent.spawn(() -> ch.put("a"));
        Gevent.idle();
        assertFalse(putter.dead(), "put() returned with no getter");
        assertEquals(1, ch.balance());
        assertEquals("a", ch.get());
        assertEquals(0, ch.balance());
        putter.join();
        assertTrue(putter.successful());
    }

    @Test
    void aPutToAWaitingGetterHandsTheItemOverWithoutSwitching() {
        Channel<String> ch = new Channel<>();
        AtomicReference<String> got = new AtomicReference<>();
        Greenlet<Void> getter = Gevent.spawn(() -> got.set(ch.get()));
        Gevent.idle();
        assertEquals(-1, ch.balance());
        ch.put("a");
        assertNull(got.get(), "the put switched to the getter");
        assertEquals(0, ch.balance());
        getter.join();
        assertEquals("a", got.get());
    }

    @Test
    void gettersAreServedInArrivalOrder() {
        Channel<String> ch = new Channel<>();
        List<Greenlet<String>> getters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            getters.add(Gevent.spawn(() -> ch.get()));
        }
        Gevent.idle();
        assertEquals(-3, ch.balance());
        ch.put("a");
        ch.put("b");
        ch.put("c");
        List<String> got = new ArrayList<>();
        for (Greenlet<String> g : getters) {
            got.add(g.get());
        }
        assertEquals(List.of("a", "b", "c"), got);
    }

    @Test
    void puttersAreServedInArrivalOrder() {
        Channel<String> ch = new Channel<>();
        List<String> finished = new ArrayList<>();
        List<Greenlet<Void>> putters = new ArrayList<>();
        for (String item : List.of("a", "b", "c")) {
            putters.add(Gevent.spawn(() -> {
                ch.put(item);
                finished.add(item);
            }));
        }
        Gevent.idle();
        assertEquals(3, ch.balance());
        assertEquals(List.of("a", "b", "c"), List.of(ch.get(), ch.get(), ch.get()));
        Gevent.joinAll(putters);
        assertEquals(List.of("a", "b", "c"), finished);
        assertEquals(0, ch.balance());
    }

    @Test
    void nowaitCallsNeedTheOtherSideWaiting() {
        Channel<String> ch = new Channel<>();
        assertThrows(Full.class, () -> ch.putNowait("a"));
        assertThrows(Empty.class, ch::getNowait);
        assertEquals(0, ch.balance());

        Greenlet<Void> putter = Gevent.spawn(() -> ch.put("a"));
        Greenlet<String> getter = Gevent.spawn(() -> ch.get());
        Gevent.idle();
        // The getter arrived second and took the waiting putter's item.
        assertEquals("a", getter.get());
        putter.join();

        Greenlet<String> waiting = Gevent.spawn(() -> ch.get());
        Gevent.idle();
        ch.putNowait("b");
        assertEquals("b", waiting.get());
        Greenlet<Void> offering = Gevent.spawn(() -> ch.put("c"));
        Gevent.idle();
        assertEquals("c", ch.getNowait());
        offering.join();
    }

    @Test
    void aChannelStoresNothing() {
        Channel<String> ch = new Channel<>();
        assertEquals(0, ch.qsize());
        assertTrue(ch.empty());
        assertTrue(ch.full());
        Gevent.spawn(() -> ch.put("a"));
        Gevent.idle();
        assertEquals(0, ch.qsize());
        assertTrue(ch.empty());
        assertTrue(ch.full());
        assertEquals("a", ch.get());
    }

    @Test
    void putTimeoutThrowsFullAndWithdrawsTheItem() {
        Channel<String> ch = new Channel<>();
        long start = System.nanoTime();
        assertThrows(Full.class, () -> ch.put("a", Duration.ofMillis(50)));
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(tookMs >= 40, "put(50 ms) gave up after " + tookMs + " ms");
        assertEquals(0, ch.balance());
        assertThrows(Empty.class, ch::getNowait);
    }

    @Test
    void getTimeoutThrowsEmptyAndLeavesNoGetterBehind() {
        Channel<String> ch = new Channel<>();
        Greenlet<String> impatient = Gevent.spawn(() -> {
            try {
                return ch.get(SHORT);
            } catch (Empty e) {
                return "timed out";
            }
        });
        Greenlet<String> patient = Gevent.spawn(() -> ch.get());
        assertEquals("timed out", impatient.get());
        assertEquals(-1, ch.balance());
        ch.put("a");
        assertEquals("a", patient.get());
        assertThrows(Full.class, () -> ch.putNowait("b"));
    }

    @Test
    void aTimeoutAroundPutWithdrawsTheItem() {
        Channel<String> ch = new Channel<>();
        Timeout timeout = Timeout.startNew(SHORT);
        try {
            ch.put("a");
            fail("put() with no getter returned");
        } catch (Timeout t) {
            assertSame(timeout, t);
        } finally {
            timeout.cancel();
        }
        assertEquals(0, ch.balance());
        assertThrows(Empty.class, ch::getNowait);
    }

    @Test
    void negativeTimeoutsAreRefusedNamingTheValue() {
        Channel<String> ch = new Channel<>();
        Duration negative = Duration.ofSeconds(-1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ch.get(negative));
        assertTrue(e.getMessage().contains(negative.toString()), "message: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ch.put("a", negative));
        assertEquals(0, ch.balance());
    }

    @Test
    void aKilledPutterDoesNotDeliverItsItem() {
        Channel<String> ch = new Channel<>();
        Greenlet<Void> putter = Gevent.spawn(() -> ch.put("a"));
        Gevent.idle();
        putter.kill();
        assertTrue(putter.dead());
        assertEquals(0, ch.balance());
        assertThrows(Empty.class, ch::getNowait);
    }

    @Test
    void aKilledGetterDiesAndTheNextItemGoesToTheNextGetter() {
        Channel<String> ch = new Channel<>();
        Greenlet<String> first = Gevent.spawn(() -> ch.get());
        Greenlet<String> second = Gevent.spawn(() -> ch.get());
        Gevent.idle();
        first.kill();
        assertEquals(-1, ch.balance());
        ch.put("a");
        assertEquals("a", second.get());
        assertTrue(first.successful());
    }

    @Test
    void aGetterKilledAfterBeingHandedAnItemPassesItToTheNextGetter() {
        Channel<String> ch = new Channel<>();
        Greenlet<String> first = Gevent.spawn(() -> ch.get());
        Greenlet<String> second = Gevent.spawn(() -> ch.get());
        Gevent.idle();
        ch.put("a");
        // The first getter holds "a" but has not run yet: the kill lands before its get returns.
        first.killAsync(new GreenletExit());
        assertEquals("a", second.get());
        first.join();
        assertEquals(0, ch.balance());
    }

    @Test
    void anItemAKilledGetterCouldNotKeepWaitsForTheNextGet() {
        Channel<String> ch = new Channel<>();
        Greenlet<String> getter = Gevent.spawn(() -> ch.get());
        Gevent.idle();
        ch.put("a");
        Greenlet<Void> later = Gevent.spawn(() -> ch.put("b"));
        getter.killAsync(new GreenletExit());
        getter.join();
        Gevent.idle();
        assertEquals(2, ch.balance());
        assertEquals("a", ch.getNowait());
        assertEquals("b", ch.getNowait());
        later.join();
        assertEquals(0, ch.balance());
    }
}
