package dev.gevent.tck.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.event.Event;
import dev.gevent.pool.Group;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code gevent.pool.Group}: membership that ends with death, spawn order, {@code join} (late
 * additions, timeout, raise_error), {@code kill} and {@code killone}, the group as a structured
 * scope ({@code close}), and use from the group's hub only.
 */
@GeventTck
public class GroupTck {

    private static final Duration LONG = Duration.ofSeconds(60);

    /** Spawns a member that blocks until {@code gate} is set, counting its finally block in {@code finallies}. */
    private static Greenlet<Void> blocked(Group group, Event gate, AtomicInteger finallies) {
        return group.spawn(() -> {
            try {
                gate.await();
            } finally {
                finallies.incrementAndGet();
            }
        });
    }

    @Test
    void addContainsDiscardAndSize() {
        Group group = new Group();
        Greenlet<Void> g = Greenlet.of(() -> Gevent.sleep(LONG));
        assertEquals(0, group.size());
        assertFalse(group.contains(g));
        group.add(g);
        group.add(g);
        assertTrue(group.contains(g));
        assertEquals(1, group.size(), "adding a member again is a no-op");
        assertFalse(g.started(), "add does not start the greenlet");
        group.discard(g);
        assertFalse(group.contains(g));
        assertEquals(0, group.size());
        group.discard(g);
        assertTrue(group.join(Duration.ZERO), "a discarded greenlet is no longer waited for");
    }

    @Test
    void aMemberLeavesTheGroupWhenItDies() {
        Group group = new Group();
        Event gate = new Event();
        Greenlet<String> g = group.spawn(() -> {
            gate.await();
            return "done";
        });
        Gevent.sleep();
        assertTrue(group.contains(g));
        gate.set();
        assertEquals("done", g.get());
        assertFalse(group.contains(g), "the group lets go of a greenlet before its joiners resume");
        assertEquals(0, group.size());
    }

    @Test
    void aDeadGreenletAddedLeavesSoon() {
        Group group = new Group();
        Greenlet<String> g = Gevent.spawn(() -> "done");
        g.join();
        group.add(g);
        Gevent.sleep();
        assertFalse(group.contains(g));
        assertTrue(group.join(Duration.ZERO));
    }

    @Test
    void aDiscardedMemberKeepsRunning() {
        Group group = new Group();
        Event gate = new Event();
        Greenlet<String> g = group.spawn(() -> {
            gate.await();
            return "done";
        });
        group.discard(g);
        assertTrue(group.join(), "the group is empty once its only member is discarded");
        gate.set();
        assertEquals("done", g.get());
    }

    @Test
    void iterationSeesASnapshotOfTheMembersInTheOrderAdded() {
        Group group = new Group();
        Event gate = new Event();
        List<Greenlet<?>> spawned = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            spawned.add(group.spawn(() -> gate.await()));
        }
        List<Greenlet<?>> seen = new ArrayList<>();
        for (Greenlet<?> g : group) {
            seen.add(g);
            group.discard(g);
        }
        assertEquals(spawned, seen);
        assertEquals(0, group.size());
        gate.set();
        Gevent.joinAll(spawned);
    }

    @Test
    void greenletsRunInTheOrderTheyWereSpawned() {
        Group group = new Group();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            group.spawn(() -> order.add(n));
        }
        assertTrue(group.join());
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    @Test
    void joinWaitsForMembersAddedWhileItWaits() {
        Group group = new Group();
        Event gate = new Event();
        List<String> log = new ArrayList<>();
        group.spawn(() -> {
            Gevent.sleep();
            group.spawn(() -> {
                gate.await();
                log.add("late");
            });
            log.add("first");
        });
        Gevent.spawn(() -> {
            Gevent.sleep(Duration.ofMillis(20));
            gate.set();
        });
        assertTrue(group.join());
        assertEquals(List.of("first", "late"), log);
        assertEquals(0, group.size());
    }

    @Test
    void joinReturnsFalseWhenTheTimeoutElapses() {
        Group group = new Group();
        Greenlet<Void> g = group.spawn(() -> Gevent.sleep(LONG));
        assertFalse(group.join(Duration.ofMillis(50)));
        assertTrue(group.contains(g));
        group.kill();
        assertTrue(group.join(Duration.ZERO));
    }

    @Test
    void joinWithRaiseErrorWaitsForAllThenRaisesTheFirstFailure() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        Group group = new Group();
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        Event gate = new Event();
        Greenlet<Boolean> slow = group.spawn(() -> gate.await());
        group.spawn(() -> {
            Gevent.sleep(Duration.ofMillis(40));
            throw second;
        });
        group.spawn(() -> {
            Gevent.sleep(Duration.ofMillis(20));
            throw first;
        });
        Gevent.spawn(() -> {
            Gevent.sleep(Duration.ofMillis(60));
            gate.set();
        });
        assertSame(first, assertThrows(IllegalStateException.class, () -> group.join(null, true)));
        assertTrue(slow.dead(), "as in gevent, join(raise_error) waits for the group to empty before it raises");
        assertEquals(0, group.size());
    }

    @Test
    void joinWithRaiseErrorWrapsACheckedFailure() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        Group group = new Group();
        IOException checked = new IOException("boom");
        group.spawn(() -> {
            throw checked;
        });
        CompletionException e = assertThrows(CompletionException.class, () -> group.join(null, true));
        assertSame(checked, e.getCause());
    }

    @Test
    void joinWithRaiseErrorDoesNotCountAKillAsAFailure() {
        Group group = new Group();
        Greenlet<Void> g = group.spawn(() -> Gevent.sleep(LONG));
        Gevent.spawn(() -> g.kill());
        assertTrue(group.join(null, true));
        assertNull(g.exception());
    }

    @Test
    void killKillsEveryMemberAndWaits() {
        Group group = new Group();
        AtomicInteger finallies = new AtomicInteger();
        Event gate = new Event();
        List<Greenlet<Void>> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(blocked(group, gate, finallies));
        }
        Gevent.sleep();
        group.kill();
        assertEquals(3, finallies.get());
        for (Greenlet<Void> g : members) {
            assertTrue(g.dead());
            assertTrue(g.successful(), "a GreenletExit counts as success");
        }
        assertEquals(0, group.size());
    }

    @Test
    void killAlsoKillsMembersAddedByDyingMembers() {
        Group group = new Group();
        AtomicInteger finallies = new AtomicInteger();
        AtomicReference<Greenlet<Void>> late = new AtomicReference<>();
        group.spawn(() -> {
            try {
                Gevent.sleep(LONG);
            } finally {
                late.set(group.spawn(() -> {
                    try {
                        Gevent.sleep(LONG);
                    } finally {
                        finallies.incrementAndGet();
                    }
                }));
            }
        });
        Gevent.sleep();
        group.kill();
        assertTrue(late.get().dead());
        assertEquals(1, finallies.get());
        assertEquals(0, group.size());
    }

    @Test
    void killWithoutBlockingRaisesTheGivenExceptionLater() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        Group group = new Group();
        IllegalStateException boom = new IllegalStateException("boom");
        Greenlet<Void> a = group.spawn(() -> Gevent.sleep(LONG));
        Greenlet<Void> b = group.spawn(() -> Gevent.sleep(LONG));
        Gevent.sleep();
        group.kill(boom, false, null);
        assertFalse(a.dead());
        assertTrue(group.join());
        assertSame(boom, a.exception());
        assertSame(boom, b.exception());
    }

    @Test
    void killWithATimeoutThrowsTimeoutWhenAMemberIgnoresTheKill() {
        Group group = new Group();
        Event stop = new Event();
        Greenlet<Void> stubborn = group.spawn(() -> {
            try {
                Gevent.sleep(LONG);
            } catch (GreenletExit e) {
                stop.await();
            }
        });
        Greenlet<Void> meek = group.spawn(() -> Gevent.sleep(LONG));
        Gevent.sleep();
        assertThrows(Timeout.class, () -> group.kill(new GreenletExit(), true, Duration.ofMillis(50)));
        assertTrue(meek.dead());
        assertFalse(stubborn.dead());
        assertTrue(group.contains(stubborn));
        stop.set();
        assertTrue(group.join());
        assertTrue(stubborn.dead());
    }

    @Test
    void killoneKillsOneMemberAndWaits() {
        Group group = new Group();
        AtomicInteger finallies = new AtomicInteger();
        Event gate = new Event();
        Greenlet<Void> victim = blocked(group, gate, finallies);
        Greenlet<Void> other = blocked(group, gate, finallies);
        Gevent.sleep();
        group.killone(victim);
        assertTrue(victim.dead());
        assertEquals(1, finallies.get());
        assertFalse(group.contains(victim));
        assertTrue(group.contains(other));
        Greenlet<Boolean> stranger = Gevent.spawn(() -> gate.await());
        group.killone(stranger);
        assertFalse(stranger.dead(), "killone leaves a greenlet that is not a member alone");
        gate.set();
        assertTrue(group.join());
        stranger.join();
        assertEquals(2, finallies.get());
    }

    @Test
    void closeKillsAndWaitsForWhatIsLeftThenRefusesNewGreenlets() {
        AtomicInteger finallies = new AtomicInteger();
        Event gate = new Event();
        List<Greenlet<Void>> members = new ArrayList<>();
        Group scope;
        try (Group group = new Group()) {
            scope = group;
            for (int i = 0; i < 3; i++) {
                members.add(blocked(group, gate, finallies));
            }
            Gevent.sleep();
        }
        assertEquals(3, finallies.get());
        for (Greenlet<Void> g : members) {
            assertTrue(g.dead());
        }
        assertEquals(0, scope.size());
        assertThrows(IllegalStateException.class, () -> scope.spawn(() -> "late"));
        Greenlet<Void> outsider = Greenlet.of(() -> { });
        assertThrows(IllegalStateException.class, () -> scope.add(outsider));
        scope.close();
        assertEquals(0, scope.size());
    }

    @Test
    void closeIsAScopeForGreenletsSpawnedInside() {
        AtomicInteger finallies = new AtomicInteger();
        Event gate = new Event();
        try (Group group = new Group()) {
            group.spawn(() -> {
                try {
                    Greenlet<Void> inner = blocked(group, gate, finallies);
                    inner.join();
                } finally {
                    finallies.incrementAndGet();
                }
            });
            Gevent.sleep();
            Gevent.sleep();
            assertEquals(2, group.size());
        }
        assertEquals(2, finallies.get());
    }

    @Test
    void aGroupIsUsedFromItsHubOnly() throws Exception {
        Group group = new Group();
        Event gate = new Event();
        Greenlet<Boolean> member = group.spawn(() -> gate.await());
        AtomicReference<Throwable> spawnFailure = new AtomicReference<>();
        AtomicReference<Throwable> containsFailure = new AtomicReference<>();
        AtomicInteger sizeSeen = new AtomicInteger(-1);
        Thread other = Thread.ofPlatform().start(() -> {
            sizeSeen.set(group.size());
            try {
                group.spawn(() -> "elsewhere");
            } catch (Throwable e) {
                spawnFailure.set(e);
            }
            try {
                group.contains(member);
            } catch (Throwable e) {
                containsFailure.set(e);
            }
        });
        other.join();
        assertEquals(1, sizeSeen.get(), "size() may be read from any thread");
        assertTrue(spawnFailure.get() instanceof IllegalStateException, String.valueOf(spawnFailure.get()));
        assertTrue(containsFailure.get() instanceof IllegalStateException, String.valueOf(containsFailure.get()));

        try (Hub elsewhere = Hub.startThread("pool-tck-other-hub")) {
            elsewhere.setErrorHandler((context, error) -> { });
            Greenlet<?> foreign = elsewhere.spawn(() -> group.spawn(() -> "elsewhere"));
            assertThrows(IllegalStateException.class, foreign::get);
        }
        assertEquals(1, group.size());
        gate.set();
        assertTrue(group.join());
    }
}
