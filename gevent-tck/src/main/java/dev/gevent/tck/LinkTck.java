package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.BlockingSwitchOutError;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Links (gevent: {@code Greenlet.link}, {@code link_value}, {@code link_exception},
 * {@code rawlink}, {@code unlink}): links run in the order they were added, each in a new
 * greenlet; raw links run in the hub itself, where nothing may block.
 */
@GeventTck
public class LinkTck {

    @Test
    void linksRunInTheOrderAddedEachInItsOwnNewGreenlet() {
        Hub hub = Gevent.getHub();
        Greenlet<?> main = Gevent.getCurrent();
        List<String> order = new ArrayList<>();
        List<Greenlet<?>> runners = new ArrayList<>();
        List<Object> arguments = new ArrayList<>();
        List<Boolean> virtual = new ArrayList<>();
        Waiter<Void> done = hub.newWaiter();
        Greenlet<Integer> g = Gevent.spawn(() -> 7);
        for (String name : List.of("first", "second", "third")) {
            g.link(x -> {
                order.add(name);
                runners.add(Gevent.getCurrent());
                arguments.add(x);
                virtual.add(Thread.currentThread().isVirtual());
                if (name.equals("third")) {
                    done.switchTo(null);
                }
            });
        }
        done.get();
        hub.join();
        assertEquals(List.of("first", "second", "third"), order);
        Set<Greenlet<?>> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(runners);
        assertEquals(3, distinct.size(), "links shared a greenlet: " + runners);
        for (Greenlet<?> runner : runners) {
            assertNotSame(g, runner);
            assertNotSame(main, runner);
        }
        for (Object argument : arguments) {
            assertSame(g, argument);
        }
        assertEquals(List.of(true, true, true), virtual);
    }

    @Test
    void linkAddedAfterDeathRunsSoon() {
        Hub hub = Gevent.getHub();
        Greenlet<Integer> g = Gevent.spawn(() -> 7);
        g.join();
        Waiter<Greenlet<?>> linked = hub.newWaiter();
        g.link(linked::switchTo);
        assertSame(g, linked.get());
    }

    @Test
    void linkValueFiresOnlyOnSuccessAndLinkExceptionOnlyOnFailure() {
        Hub hub = Gevent.getHub();
        hub.setErrorHandler((context, error) -> { });
        List<String> fired = new ArrayList<>();
        Greenlet<Integer> ok = Gevent.spawn(() -> 1);
        Greenlet<Object> bad = Gevent.spawn(() -> {
            throw new IllegalStateException("boom");
        });
        ok.linkValue(x -> fired.add("ok value"));
        ok.linkException(x -> fired.add("ok exception"));
        ok.link(x -> fired.add("ok any"));
        bad.linkValue(x -> fired.add("bad value"));
        bad.linkException(x -> fired.add("bad exception"));
        bad.link(x -> fired.add("bad any"));
        hub.join();
        fired.sort(null);
        assertEquals(List.of("bad any", "bad exception", "ok any", "ok value"), fired);
    }

    @Test
    void unlinkedCallbackNeverRuns() {
        Hub hub = Gevent.getHub();
        AtomicBoolean fired = new AtomicBoolean();
        Waiter<Void> release = hub.newWaiter();
        Greenlet<Void> g = Gevent.spawn(release::get);
        Consumer<Greenlet<Void>> callback = x -> fired.set(true);
        g.link(callback);
        g.unlink(callback);
        Runnable raw = () -> fired.set(true);
        g.rawlink(raw);
        g.unlink(raw);
        Gevent.sleep();
        release.switchTo(null);
        g.join();
        hub.join();
        assertFalse(fired.get());
    }

    @Test
    void rawlinkRunsInTheHubOutsideAnyGreenletWhereBlockingThrows() {
        Hub hub = Gevent.getHub();
        Greenlet<?> main = Gevent.getCurrent();
        AtomicReference<Greenlet<?>> current = new AtomicReference<>();
        AtomicReference<Thread> thread = new AtomicReference<>();
        Waiter<Throwable> done = hub.newWaiter();
        Greenlet<Integer> g = Gevent.spawn(() -> 7);
        g.rawlink(() -> {
            current.set(Gevent.getCurrent());
            thread.set(Thread.currentThread());
            try {
                Gevent.sleep(Duration.ofMillis(1));
                done.switchTo(null);
            } catch (BlockingSwitchOutError e) {
                done.switchTo(e);
            }
        });
        assertInstanceOf(BlockingSwitchOutError.class, done.get(), "sleep in a rawlink callback did not throw BlockingSwitchOutError");
        assertSame(main, current.get(), "getCurrent() in a rawlink callback is not the main greenlet");
        assertSame(hub.thread(), thread.get());
        assertFalse(thread.get().isVirtual());
    }

    @Test
    void rawlinkCallbacksRunInTheOrderRegistered() {
        Hub hub = Gevent.getHub();
        List<String> order = new ArrayList<>();
        Waiter<Void> release = hub.newWaiter();
        Greenlet<Void> g = Gevent.spawn(release::get);
        for (String name : List.of("a", "b", "c")) {
            g.rawlink(() -> order.add(name));
        }
        release.switchTo(null);
        g.join();
        hub.join();
        assertEquals(List.of("a", "b", "c"), order);
    }

    @Test
    void rawlinkOnAReadyObjectRunsSoon() {
        Hub hub = Gevent.getHub();
        Greenlet<Integer> g = Gevent.spawn(() -> 7);
        g.join();
        Waiter<String> ran = hub.newWaiter();
        g.rawlink(() -> ran.switchTo("ran"));
        assertEquals("ran", ran.get());
    }

    @Test
    void unlinkDuringNotificationStopsCallbacksNotYetRun() {
        Hub hub = Gevent.getHub();
        List<String> order = new ArrayList<>();
        Waiter<Void> release = hub.newWaiter();
        Greenlet<Void> g = Gevent.spawn(release::get);
        Runnable second = () -> order.add("second");
        g.rawlink(() -> {
            order.add("first");
            g.unlink(second);
        });
        g.rawlink(second);
        g.rawlink(() -> order.add("third"));
        release.switchTo(null);
        g.join();
        hub.join();
        assertEquals(List.of("first", "third"), order);
    }
}
