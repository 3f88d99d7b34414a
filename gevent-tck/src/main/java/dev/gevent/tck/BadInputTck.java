package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.BlockingSwitchOutError;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Hub;
import dev.gevent.ThrowingRunnable;
import dev.gevent.Timeout;
import dev.gevent.Waiter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Misuse of the API (gevent: {@code TypeError} for a non-callable, {@code ValueError} for bad
 * values, {@code BlockingSwitchOutError}, hub affinity): every misuse fails at once with an
 * exception that says what was wrong, and nothing hangs.
 */
@GeventTck
public class BadInputTck {

    private static final Duration NEGATIVE = Duration.ofMillis(-5);

    /**
     * Tries a sleep and a join from a hub callback and hands what they threw to the main greenlet:
     * the error must reach the callback's own code, not only the hub's error reporter.
     */
    private static final class Blocker {
        private final Waiter<String> release;
        private final Greenlet<String> live;
        private final Waiter<List<Throwable>> outcome;

        Blocker(Hub hub) {
            release = hub.newWaiter();
            live = Gevent.spawn(release::get);
            outcome = hub.newWaiter();
        }

        void tryToBlock() {
            outcome.switchTo(Arrays.asList(
                    blockingOutcome(() -> Gevent.sleep(Duration.ofMillis(1))),
                    blockingOutcome(live::join)));
        }

        void assertRefused() {
            List<Throwable> thrown = outcome.get();
            assertInstanceOf(BlockingSwitchOutError.class, thrown.get(0), "sleep");
            assertInstanceOf(BlockingSwitchOutError.class, thrown.get(1), "join of a live greenlet");
            release.switchTo("done");
            live.join();
        }
    }

    @Test
    void nullFunctionIsRejectedWithAMessage() {
        Hub hub = Gevent.getHub();
        List<Executable> calls = List.of(
                () -> Gevent.spawn((Callable<Object>) null),
                () -> Gevent.spawn((ThrowingRunnable) null),
                () -> Gevent.spawnLater(Duration.ZERO, (Callable<Object>) null),
                () -> Gevent.spawnLater(Duration.ZERO, (ThrowingRunnable) null),
                () -> Gevent.spawnRaw(null),
                () -> Greenlet.of((Callable<Object>) null),
                () -> Greenlet.of((ThrowingRunnable) null),
                () -> hub.spawn((Callable<Object>) null),
                () -> hub.spawn((ThrowingRunnable) null));
        for (Executable call : calls) {
            NullPointerException e = assertThrows(NullPointerException.class, call);
            assertNotNull(e.getMessage(), "a NullPointerException without a message");
            assertFalse(e.getMessage().isBlank(), "a NullPointerException without a message");
        }
    }

    @Test
    void nullRawlinkCallbackIsRejected() {
        Greenlet<Integer> g = Gevent.spawn(() -> 1);
        assertThrows(NullPointerException.class, () -> g.rawlink(null));
        g.join();
    }

    static Stream<Arguments> durationTakers() {
        return Stream.of(
                taker("Gevent.sleep", d -> Gevent.sleep(d)),
                taker("Gevent.spawnLater", d -> Gevent.spawnLater(d, () -> 1)),
                taker("Greenlet.startLater", d -> Greenlet.of(() -> 1).startLater(d)),
                taker("new Timeout", d -> new Timeout(d)),
                taker("Timeout.startNew", d -> Timeout.startNew(d)),
                taker("Gevent.withTimeout", d -> Gevent.withTimeout(d, () -> 1)),
                taker("Hub.callLater", d -> Gevent.getHub().callLater(d, () -> { })),
                taker("Hub.join", d -> Gevent.getHub().join(d)),
                taker("Gevent.iwait", d -> Gevent.iwait(List.of(Gevent.getCurrent()), d, 0)),
                taker("Gevent.wait", d -> Gevent.wait(List.of(Gevent.getCurrent()), d, 0)),
                taker("Gevent.joinAll", d -> Gevent.joinAll(List.of(Gevent.getCurrent()), d, false)),
                taker("Gevent.killAll", d -> Gevent.killAll(List.of(), new GreenletExit(), true, d)));
    }

    private static Arguments taker(String name, Consumer<Duration> call) {
        return Arguments.of(name, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durationTakers")
    void negativeDurationIsRejectedNamingTheValue(String name, Consumer<Duration> call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.accept(NEGATIVE), name);
        assertNamesTheValue(e);
    }

    static Stream<Arguments> greenletDurationTakers() {
        return Stream.of(
                greenletTaker("Greenlet.join", (g, d) -> g.join(d)),
                greenletTaker("Greenlet.get", (g, d) -> g.get(d)),
                greenletTaker("Greenlet.kill", (g, d) -> g.kill(new GreenletExit(), d)));
    }

    private static Arguments greenletTaker(String name, BiConsumer<Greenlet<?>, Duration> call) {
        return Arguments.of(name, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("greenletDurationTakers")
    void negativeDurationOnALiveGreenletIsRejectedNamingTheValue(String name, BiConsumer<Greenlet<?>, Duration> call) {
        Waiter<String> release = Gevent.getHub().newWaiter();
        Greenlet<String> live = Gevent.spawn(release::get);
        Gevent.sleep();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.accept(live, NEGATIVE), name);
            assertNamesTheValue(e);
        } finally {
            live.kill();
        }
    }

    @Test
    void callSoonAndCallLaterFromAnotherThreadAreRejected() throws InterruptedException {
        Hub hub = Gevent.getHub();
        AtomicReference<Throwable> soon = new AtomicReference<>();
        AtomicReference<Throwable> later = new AtomicReference<>();
        Thread foreign = Thread.ofPlatform().name("tck-foreign").start(() -> {
            try {
                hub.callSoon(() -> { });
            } catch (Throwable e) {
                soon.set(e);
            }
            try {
                hub.callLater(Duration.ofMillis(1), () -> { });
            } catch (Throwable e) {
                later.set(e);
            }
        });
        foreign.join();
        assertSaysHubThreadOnly(soon.get());
        assertSaysHubThreadOnly(later.get());
    }

    @Test
    void blockingInACallSoonCallbackThrowsBlockingSwitchOutError() {
        Hub hub = Gevent.getHub();
        Blocker blocker = new Blocker(hub);
        hub.callSoon(blocker::tryToBlock);
        blocker.assertRefused();
    }

    @Test
    void blockingInACallLaterCallbackThrowsBlockingSwitchOutError() {
        Hub hub = Gevent.getHub();
        Blocker blocker = new Blocker(hub);
        hub.callLater(Duration.ofMillis(1), blocker::tryToBlock);
        blocker.assertRefused();
    }

    @Test
    void blockingInARawlinkCallbackThrowsBlockingSwitchOutError() {
        Hub hub = Gevent.getHub();
        Blocker blocker = new Blocker(hub);
        Greenlet<Integer> g = Gevent.spawn(() -> 1);
        g.rawlink(blocker::tryToBlock);
        blocker.assertRefused();
    }

    @Test
    void waitingOnAWaiterInAHubCallbackThrowsBlockingSwitchOutError() {
        Hub hub = Gevent.getHub();
        Waiter<String> never = hub.newWaiter();
        Waiter<Throwable> outcome = hub.newWaiter();
        hub.callSoon(() -> outcome.switchTo(blockingOutcome(never::get)));
        assertInstanceOf(BlockingSwitchOutError.class, outcome.get());
    }

    @Test
    void secondGreenletWaitingOnAWaiterIsRejected() {
        Hub hub = Gevent.getHub();
        hub.setErrorHandler((context, error) -> { });
        Waiter<String> waiter = hub.newWaiter();
        Greenlet<String> first = Gevent.spawn(waiter::get);
        Greenlet<String> second = Gevent.spawn(waiter::get);
        second.join();
        assertInstanceOf(IllegalStateException.class, second.exception());
        waiter.switchTo("for the first");
        first.join();
        assertTrue(first.successful());
    }

    @Test
    void getHubOnAPlainVirtualThreadPointsToHubStartThread() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Hub> wronglyMade = new AtomicReference<>();
        // Started from the main greenlet, a platform thread: the JDK's scheduler runs it, not a hub.
        Thread plain = Thread.ofVirtual().start(() -> {
            try {
                wronglyMade.set(Gevent.getHub());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        assertTrue(plain.join(Duration.ofSeconds(10)));
        Hub made = wronglyMade.get();
        if (made != null) {
            made.close();
        }
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, failure.get());
        assertTrue(e.getMessage() != null && e.getMessage().contains("Hub.startThread"), "message: " + e.getMessage());
    }

    @Test
    void nonPositiveSwitchIntervalIsRejected() {
        Duration before = Gevent.getSwitchInterval();
        try {
            assertThrows(IllegalArgumentException.class, () -> Gevent.setSwitchInterval(Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> Gevent.setSwitchInterval(Duration.ofMillis(-1)));
        } finally {
            Gevent.setSwitchInterval(before);
        }
    }

    /** Runs a blocking call where blocking is not allowed and returns what it threw (null if nothing). */
    private static Throwable blockingOutcome(Executable blockingCall) {
        try {
            blockingCall.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void assertNamesTheValue(IllegalArgumentException e) {
        assertTrue(e.getMessage() != null && e.getMessage().contains(NEGATIVE.toString()),
                "the message does not name " + NEGATIVE + ": " + e.getMessage());
    }

    private static void assertSaysHubThreadOnly(Throwable failure) {
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, failure);
        assertTrue(e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("hub thread only"),
                "message: " + e.getMessage());
    }
}
