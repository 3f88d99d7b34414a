package dev.gevent.tck.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.BlockingSwitchOutError;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.LoopExit;
import dev.gevent.Timeout;
import dev.gevent.WaitIterator;
import dev.gevent.event.Event;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code gevent.event.Event} within one hub: {@code set()} wakes every waiter in the order they
 * began waiting without switching, {@code clear()} resets the flag, {@code wait()} returns the flag
 * (true even when the event was cleared again before the waiter ran, as in gevent since 1.1), timed
 * waits give up cleanly, rawlink callbacks run once in the hub, and an event works with
 * {@code gevent.wait}/{@code iwait}, kills, {@code Timeout} and {@code LoopExit}.
 */
@GeventTck
public class EventTck {

    private static final Duration SHORT = Duration.ofMillis(50);
    private static final Duration LONG = Duration.ofSeconds(60);
    /** Far below LONG: a wait that ended this fast did not sit out a forgotten timer. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @Test
    void newEventIsClear() {
        Event event = new Event();
        assertFalse(event.isSet());
        assertFalse(event.ready());
    }

    @Test
    void setWakesEveryWaiterInTheOrderTheyBeganWaiting() {
        Event event = new Event();
        List<Integer> began = new ArrayList<>();
        List<Integer> woke = new ArrayList<>();
        List<Greenlet<Boolean>> waiters = new ArrayList<>();
        int count = 5;
        for (int i = 0; i < count; i++) {
            int id = i;
            waiters.add(Gevent.spawn(() -> {
                // Later spawned, earlier waiting: the wake-up order must follow the waits, not the spawns.
                for (int round = id; round < count - 1; round++) {
                    Gevent.sleep();
                }
                began.add(id);
                boolean flag = event.await();
                woke.add(id);
                return flag;
            }));
        }
        Gevent.idle();
        assertEquals(List.of(4, 3, 2, 1, 0), began);
        assertTrue(woke.isEmpty());
        event.set();
        Gevent.joinAll(waiters);
        assertEquals(began, woke);
        for (Greenlet<Boolean> g : waiters) {
            assertTrue(g.get());
        }
    }

    @Test
    void setFromTheMainGreenletDoesNotSwitch() {
        Event event = new Event();
        List<String> log = new ArrayList<>();
        Greenlet<Void> a = Gevent.spawn(() -> {
            event.await();
            log.add("a woke");
        });
        Greenlet<Void> b = Gevent.spawn(() -> {
            event.await();
            log.add("b woke");
        });
        Gevent.idle();
        event.set();
        assertTrue(event.isSet());
        assertTrue(log.isEmpty(), "a waiter ran inside set(): " + log);
        Gevent.sleep();
        assertEquals(List.of("a woke", "b woke"), log);
        assertTrue(a.dead() && b.dead());
    }

    @Test
    void setFromAGreenletDoesNotSwitchAndTheWaitersRunBeforeItsNextYieldReturns() {
        Event event = new Event();
        List<String> log = new ArrayList<>();
        List<Greenlet<Void>> all = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            all.add(Gevent.spawn(() -> {
                event.await();
                log.add(name + " woke");
            }));
        }
        all.add(Gevent.spawn(() -> {
            event.set();
            log.add("setter after set");
            Gevent.sleep();
            log.add("setter after yield");
        }));
        Gevent.joinAll(all);
        assertEquals(List.of("setter after set", "a woke", "b woke", "setter after yield"), log);
    }

    @Test
    void clearResetsTheFlagSoThatLaterWaitsBlock() {
        Event event = new Event();
        event.set();
        assertTrue(event.isSet());
        assertTrue(event.ready());
        event.clear();
        assertFalse(event.isSet());
        assertFalse(event.ready());
        assertFalse(event.await(SHORT), "await on a cleared event returned true");
        Greenlet<Boolean> waiter = Gevent.spawn(() -> event.await());
        Gevent.idle();
        assertFalse(waiter.dead(), "a greenlet did not block on a cleared event");
        event.set();
        assertTrue(waiter.get());
    }

    @Test
    void awaitOnASetEventReturnsTrueAtOnceWithoutSwitching() {
        Event event = new Event();
        event.set();
        List<String> log = new ArrayList<>();
        Greenlet<Void> waiter = Gevent.spawn(() -> {
            log.add("waiter before");
            assertTrue(event.await());
            assertTrue(event.await(Duration.ZERO));
            assertTrue(event.await(LONG));
            log.add("waiter after");
        });
        Greenlet<Void> other = Gevent.spawn(() -> {
            log.add("other");
        });
        assertTrue(event.await(), "the main greenlet's await on a set event");
        assertTrue(log.isEmpty(), "the main greenlet's await on a set event ran the loop: " + log);
        Gevent.joinAll(List.of(waiter, other));
        assertTrue(waiter.successful(), "the waiter failed: " + waiter.exception());
        // Had an await switched, "other" would have run between the waiter's two lines.
        assertEquals(List.of("waiter before", "waiter after", "other"), log);
    }

    @Test
    void awaitWithTimeoutReturnsFalseWhenNotSetAndLeavesNothingPending() {
        Hub hub = Gevent.getHub();
        Event event = new Event();
        assertFalse(event.await(SHORT), "the main greenlet's timed wait");
        assertFalse(Gevent.spawn(() -> event.await(SHORT)).get(), "a greenlet's timed wait");
        assertFalse(event.isSet());
        assertTrue(hub.join(PROMPTLY), "the waits that gave up left work for the loop");
        event.set();
        assertTrue(event.await(SHORT));
    }

    @Test
    void awaitWithTimeoutEndedBySetReturnsTrueAndLeavesNoTimerBehind() {
        Hub hub = Gevent.getHub();
        Event event = new Event();
        Greenlet<Boolean> waiter = Gevent.spawn(() -> event.await(LONG));
        Gevent.idle();
        event.set();
        assertTrue(waiter.get());
        // A timer of LONG left armed by the finished wait would keep join() from returning.
        assertTrue(hub.join(PROMPTLY), "the finished wait left its timer armed");
    }

    @Test
    void setThenClearWithoutYieldingStillWakesTheWaitersWithTrue() {
        Event event = new Event();
        List<Greenlet<Boolean>> waiters = List.of(
                Gevent.spawn(() -> event.await()),
                Gevent.spawn(() -> event.await(LONG)));
        Gevent.idle();
        event.set();
        event.clear();
        Gevent.joinAll(waiters);
        for (Greenlet<Boolean> g : waiters) {
            assertTrue(g.get(), "a waiter woken by set() saw the clear() that followed it");
        }
        assertFalse(event.isSet());
    }

    @Test
    void rawlinkCallbacksRunInTheHubOutsideAnyGreenletInRegistrationOrderOnce() {
        Hub hub = Gevent.getHub();
        Greenlet<?> main = Gevent.getCurrent();
        Event event = new Event();
        List<String> order = new ArrayList<>();
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicReference<Greenlet<?>> current = new AtomicReference<>();
        AtomicReference<Throwable> blocked = new AtomicReference<>();
        event.rawlink(() -> {
            order.add("a");
            thread.set(Thread.currentThread());
            current.set(Gevent.getCurrent());
            try {
                new Event().await(SHORT);
            } catch (BlockingSwitchOutError e) {
                blocked.set(e);
            }
        });
        event.rawlink(() -> order.add("b"));
        event.rawlink(() -> order.add("c"));
        Gevent.sleep();
        assertTrue(order.isEmpty(), "a callback ran before set()");
        event.set();
        assertTrue(order.isEmpty(), "a callback ran inside set()");
        assertTrue(hub.join(PROMPTLY));
        assertEquals(List.of("a", "b", "c"), order);
        assertSame(hub.thread(), thread.get());
        assertFalse(thread.get().isVirtual());
        assertSame(main, current.get(), "getCurrent() in a rawlink callback is not the main greenlet");
        assertInstanceOf(BlockingSwitchOutError.class, blocked.get(), "await in a rawlink callback did not throw");

        event.clear();
        event.set();
        assertTrue(hub.join(PROMPTLY));
        assertEquals(List.of("a", "b", "c"), order, "a callback ran a second time");
    }

    @Test
    void throwingRawlinkCallbackIsReportedWithItselfAsContextAndTheOthersStillRun() {
        Hub hub = Gevent.getHub();
        List<Object> contexts = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        hub.setErrorHandler((context, error) -> {
            contexts.add(context);
            errors.add(error);
        });
        Event event = new Event();
        IllegalStateException boom = new IllegalStateException("boom");
        List<String> order = new ArrayList<>();
        Runnable throwing = () -> {
            order.add("throwing");
            throw boom;
        };
        event.rawlink(throwing);
        event.rawlink(() -> order.add("next"));
        event.set();
        assertTrue(hub.join(PROMPTLY));
        assertEquals(List.of("throwing", "next"), order);
        assertEquals(List.of(boom), errors);
        assertSame(throwing, contexts.getFirst(), "the error handler's context for a throwing rawlink callback");
    }

    @Test
    void rawlinkOnASetEventRunsSoonButNotInsideRawlink() {
        Hub hub = Gevent.getHub();
        Event event = new Event();
        event.set();
        AtomicReference<Thread> ran = new AtomicReference<>();
        event.rawlink(() -> ran.set(Thread.currentThread()));
        assertNull(ran.get(), "the callback ran inside rawlink()");
        Gevent.sleep();
        assertSame(hub.thread(), ran.get());
    }

    @Test
    void unlinkBeforeSetStopsTheCallback() {
        Hub hub = Gevent.getHub();
        Event event = new Event();
        AtomicBoolean fired = new AtomicBoolean();
        List<String> others = new ArrayList<>();
        Runnable unlinked = () -> fired.set(true);
        event.rawlink(() -> others.add("before"));
        event.rawlink(unlinked);
        event.rawlink(() -> others.add("after"));
        event.unlink(unlinked);
        event.set();
        assertTrue(hub.join(PROMPTLY));
        assertFalse(fired.get());
        assertEquals(List.of("before", "after"), others);
    }

    @Test
    void unlinkDuringNotificationStopsCallbacksNotYetRun() {
        Hub hub = Gevent.getHub();
        Event event = new Event();
        List<String> order = new ArrayList<>();
        Runnable second = () -> order.add("second");
        event.rawlink(() -> {
            order.add("first");
            event.unlink(second);
        });
        event.rawlink(second);
        event.rawlink(() -> order.add("third"));
        event.set();
        assertTrue(hub.join(PROMPTLY));
        assertEquals(List.of("first", "third"), order);
    }

    @Test
    void geventWaitWithCountReturnsTheEventsInTheOrderTheyWereSet() {
        Event a = new Event();
        Event b = new Event();
        Event c = new Event();
        Greenlet<Void> setter = Gevent.spawn(() -> {
            c.set();
            Gevent.sleep();
            a.set();
            Gevent.sleep();
            b.set();
        });
        List<Event> first = Gevent.wait(List.of(a, b, c), null, 2);
        assertEquals(List.of(c, a), first);
        setter.join();
        assertEquals(List.of(a, b, c), Gevent.wait(List.of(a, b, c)), "already set events come back in the order given");
    }

    @Test
    void geventWaitWithTimeoutReturnsOnlyTheEventsSetInTime() {
        Event never = new Event();
        Event soon = new Event();
        Gevent.spawn(soon::set);
        assertEquals(List.of(soon), Gevent.wait(List.of(never, soon), SHORT, 0));
        assertFalse(never.isSet());
    }

    @Test
    void iwaitYieldsEventsAsTheyAreSetAndStopsAtTheCount() {
        Event a = new Event();
        Event b = new Event();
        Event c = new Event();
        Greenlet<Void> setter = Gevent.spawn(() -> {
            b.set();
            Gevent.sleep();
            c.set();
            Gevent.sleep();
            a.set();
        });
        List<Event> seen = new ArrayList<>();
        try (WaitIterator<Event> it = Gevent.iwait(List.of(a, b, c), null, 2)) {
            for (Event e : it) {
                assertTrue(e.isSet());
                seen.add(e);
            }
        }
        assertEquals(List.of(b, c), seen);
        setter.join();
    }

    @Test
    void killOfAGreenletBlockedInAwaitEndsItAndSetStillWakesTheOthers() {
        Event event = new Event();
        List<String> woke = new ArrayList<>();
        AtomicBoolean cleanedUp = new AtomicBoolean();
        Greenlet<Void> a = Gevent.spawn(() -> {
            event.await();
            woke.add("a");
        });
        Greenlet<Void> victim = Gevent.spawn(() -> {
            try {
                event.await();
                woke.add("victim");
            } finally {
                cleanedUp.set(true);
            }
        });
        Greenlet<Void> c = Gevent.spawn(() -> {
            event.await();
            woke.add("c");
        });
        Gevent.idle();
        victim.kill();
        assertTrue(victim.dead());
        assertTrue(victim.successful(), "a GreenletExit counts as success, got " + victim.exception());
        assertTrue(cleanedUp.get());
        assertFalse(a.dead() || c.dead(), "the kill woke the other waiters");
        event.set();
        Gevent.joinAll(List.of(a, c));
        assertEquals(List.of("a", "c"), woke);
    }

    @Test
    void timeoutAroundAwaitRaisesThatTimeoutAndSetStillWakesTheOthers() {
        Event event = new Event();
        Greenlet<String> timed = Gevent.spawn(() -> {
            Timeout timeout = Timeout.startNew(SHORT);
            try {
                event.await();
                return "set";
            } catch (Timeout t) {
                return t == timeout ? "own timeout" : "another timeout";
            } finally {
                timeout.cancel();
            }
        });
        Greenlet<Boolean> patient = Gevent.spawn(() -> event.await());
        assertEquals("own timeout", timed.get());
        assertFalse(patient.dead());
        assertFalse(Gevent.withTimeout(SHORT, () -> event.await(), false), "withTimeout's fallback");
        try (Timeout timeout = Timeout.startNew(SHORT)) {
            assertSame(timeout, assertThrows(Timeout.class, event::await), "the main greenlet's await");
        }
        event.set();
        assertTrue(patient.get());
    }

    @Test
    void mainGreenletAwaitingAnEventNobodyCanSetGetsLoopExit() {
        Event event = new Event();
        Greenlet<Boolean> waiter = Gevent.spawn(() -> event.await());
        assertThrows(LoopExit.class, event::await);
        assertThrows(LoopExit.class, waiter::join);
        // The hub stays usable after a LoopExit.
        event.set();
        assertTrue(event.await());
        assertTrue(waiter.get());
    }
}
