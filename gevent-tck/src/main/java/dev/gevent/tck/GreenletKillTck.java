package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Hub;
import dev.gevent.Waiter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Killing greenlets (gevent: {@code Greenlet.kill}, {@code gevent.kill}, {@code GreenletExit}):
 * the exception is raised at the target's blocking point, {@code kill} blocks until death,
 * {@code killAsync} does not, a greenlet killed before it ran never runs, and links still fire.
 */
@GeventTck
public class GreenletKillTck {

    private static final Duration LONG = Duration.ofSeconds(60);

    @Test
    void greenletKilledBeforeItRanNeverRunsIsDeadSuccessfulAndLinksFire() {
        Hub hub = Gevent.getHub();
        AtomicBoolean ran = new AtomicBoolean();
        Greenlet<Void> g = Gevent.spawn(() -> ran.set(true));
        Waiter<Greenlet<?>> linked = hub.newWaiter();
        g.link(linked::switchTo);
        g.kill();
        assertTrue(g.dead(), "kill() returned before the greenlet was dead");
        assertTrue(g.successful(), "a GreenletExit counts as success");
        assertNull(g.exception());
        assertNull(g.value());
        assertSame(g, linked.get());
        hub.join();
        assertFalse(ran.get(), "a greenlet killed before it ran was run");
    }

    @Test
    void greenletKilledBeforeItRanWithAnExceptionIsDeadWithIt() {
        quietErrors();
        AtomicBoolean ran = new AtomicBoolean();
        Greenlet<Void> g = Gevent.spawn(() -> ran.set(true));
        IllegalStateException boom = new IllegalStateException("boom");
        g.kill(boom);
        assertTrue(g.dead());
        assertSame(boom, g.exception());
        assertFalse(g.successful());
        Gevent.getHub().join();
        assertFalse(ran.get());
    }

    @Test
    void killRaisesGreenletExitAtTheBlockingPointAndRunsFinally() {
        AtomicReference<Throwable> caught = new AtomicReference<>();
        AtomicBoolean finallyRan = new AtomicBoolean();
        Greenlet<String> g = Gevent.spawn(() -> {
            try {
                Gevent.sleep(LONG);
                return "slept";
            } catch (GreenletExit e) {
                caught.set(e);
                throw e;
            } finally {
                finallyRan.set(true);
            }
        });
        Gevent.sleep();
        g.kill();
        assertTrue(g.dead());
        assertTrue(finallyRan.get());
        assertInstanceOf(GreenletExit.class, caught.get());
        assertTrue(g.successful());
        assertNull(g.value());
        assertNull(g.exception());
        assertNull(g.get());
    }

    @Test
    void killWithACustomExceptionEndsTheGreenletWithThatInstanceAndFiresOnlyLinkException() {
        Hub hub = Gevent.getHub();
        quietErrors();
        IllegalStateException boom = new IllegalStateException("a time to kill");
        Greenlet<String> g = Gevent.spawn(() -> {
            Gevent.sleep(LONG);
            return "slept";
        });
        AtomicBoolean valueLinkFired = new AtomicBoolean();
        Waiter<Greenlet<?>> exceptionLinked = hub.newWaiter();
        g.linkValue(x -> valueLinkFired.set(true));
        g.linkException(exceptionLinked::switchTo);
        Gevent.sleep();
        g.kill(boom);
        assertTrue(g.dead());
        assertSame(boom, g.exception());
        assertFalse(g.successful());
        assertNull(g.value());
        assertSame(boom, assertThrows(IllegalStateException.class, g::get));
        assertSame(g, exceptionLinked.get());
        hub.join();
        assertFalse(valueLinkFired.get(), "linkValue fired for a greenlet that failed");
    }

    @Test
    void killWithACheckedExceptionIsWrappedByGet() {
        quietErrors();
        IOException boom = new IOException("boom");
        Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(LONG));
        Gevent.sleep();
        g.kill(boom);
        assertSame(boom, g.exception());
        assertSame(boom, assertThrows(CompletionException.class, g::get).getCause());
    }

    @Test
    void killBlocksUntilTheGreenletIsDead() {
        AtomicBoolean cleanedUp = new AtomicBoolean();
        Greenlet<Void> g = Gevent.spawn(() -> {
            try {
                Gevent.sleep(LONG);
            } finally {
                // Dying takes a cooperative wait of its own: kill() must wait through it.
                Gevent.sleep(Duration.ofMillis(20));
                cleanedUp.set(true);
            }
        });
        Gevent.sleep();
        g.kill();
        assertTrue(g.dead());
        assertTrue(cleanedUp.get());
    }

    @Test
    void killWithTimeoutReturnsFalseWhenTheGreenletIgnoresTheKill() {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ignored = new AtomicInteger();
        Greenlet<Void> stubborn = Gevent.spawn(() -> {
            while (!stop.get()) {
                try {
                    Gevent.sleep(LONG);
                } catch (GreenletExit e) {
                    ignored.incrementAndGet();
                }
            }
        });
        Gevent.sleep();
        assertFalse(stubborn.kill(new GreenletExit(), Duration.ofMillis(50)));
        assertFalse(stubborn.dead());
        assertEquals(1, ignored.get());
        stop.set(true);
        stubborn.kill();
        assertTrue(stubborn.dead());
    }

    @Test
    void killWithTimeoutReturnsTrueWhenTheGreenletDiesInTime() {
        Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(LONG));
        Gevent.sleep();
        assertTrue(g.kill(new GreenletExit(), Duration.ofSeconds(10)));
        assertTrue(g.dead());
    }

    @Test
    void killAsyncReturnsBeforeTheGreenletIsDead() {
        List<String> log = new ArrayList<>();
        Greenlet<Void> g = Gevent.spawn(() -> {
            try {
                Gevent.sleep(LONG);
            } finally {
                log.add("dying");
            }
        });
        Gevent.sleep();
        g.killAsync(new GreenletExit());
        log.add("killAsync returned");
        assertFalse(g.dead());
        g.join();
        assertEquals(List.of("killAsync returned", "dying"), log);
        assertTrue(g.successful());
    }

    @Test
    void geventKillIsAsynchronous() {
        Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(LONG));
        Gevent.sleep();
        Gevent.kill(g);
        assertFalse(g.dead());
        g.join();
        assertTrue(g.successful());

        quietErrors();
        IllegalStateException boom = new IllegalStateException("boom");
        Greenlet<Void> h = Gevent.spawn(() -> Gevent.sleep(LONG));
        Gevent.sleep();
        Gevent.kill(h, boom);
        assertFalse(h.dead());
        h.join();
        assertSame(boom, h.exception());
    }

    @Test
    void killingADeadGreenletIsANoOp() {
        AtomicInteger links = new AtomicInteger();
        Greenlet<Integer> g = Gevent.spawn(() -> 7);
        g.link(x -> links.incrementAndGet());
        g.join();
        Gevent.getHub().join();
        g.kill();
        g.kill(new IllegalStateException("too late"));
        assertTrue(g.kill(new GreenletExit(), Duration.ZERO));
        g.killAsync(new IllegalStateException("too late"));
        Gevent.getHub().join();
        assertTrue(g.successful());
        assertEquals(7, g.value());
        assertNull(g.exception());
        assertEquals(1, links.get(), "links fired again");
    }

    @Test
    void killingYourselfRaisesInYourself() {
        AtomicBoolean continued = new AtomicBoolean();
        Greenlet<Void> g = Gevent.spawn(() -> {
            Gevent.getCurrent().kill();
            continued.set(true);
        });
        g.join();
        assertFalse(continued.get(), "kill() of the current greenlet returned");
        assertTrue(g.dead());
        assertTrue(g.successful());
    }

    @Test
    void killingYourselfWithAnExceptionRaisesThatInstanceInYourself() {
        quietErrors();
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicReference<Throwable> caught = new AtomicReference<>();
        Greenlet<Void> g = Gevent.spawn(() -> {
            try {
                Gevent.getCurrent().kill(boom);
            } catch (IllegalStateException e) {
                caught.set(e);
                throw e;
            }
        });
        g.join();
        assertSame(boom, caught.get());
        assertSame(boom, g.exception());
    }

    /**
     * gevent's {@code kill(block=False)} of the current greenlet schedules the throw: the greenlet
     * goes on until its next switch, where the exception is raised.
     */
    @Test
    void killAsyncOfYourselfIsRaisedAtYourNextSwitch() {
        quietErrors();
        IllegalStateException boom = new IllegalStateException("boom");
        List<String> log = new ArrayList<>();
        Greenlet<Void> g = Gevent.spawn(() -> {
            Gevent.getCurrent().killAsync(boom);
            log.add("went on");
            Gevent.sleep();
            log.add("survived the switch");
        });
        g.join();
        assertEquals(List.of("went on"), log);
        assertSame(boom, g.exception());
    }

    /** Failures in these tests are on purpose: keep them off stderr. */
    private static void quietErrors() {
        Gevent.getHub().setErrorHandler((context, error) -> { });
    }
}
