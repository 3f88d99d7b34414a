package dev.gevent.tck.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.lock.Semaphore;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Semaphore} as a {@link dev.gevent.Waitable} (gevent: its {@code rawlink}, as used by
 * {@code gevent.wait}): ready while a permit is free; a callback runs once, in the hub, never
 * inside the call that made the semaphore ready; waiting does not take a permit; blocked acquirers
 * come before callbacks.
 */
@GeventTck
public class SemaphoreWaitableTck {

    @Test
    void waitReturnsTheSemaphoreOnceReleasedWithoutTakingThePermit() {
        Semaphore sem = new Semaphore(0);
        Greenlet<Void> releaser = Gevent.spawn(sem::release);
        assertEquals(List.of(sem), Gevent.wait(List.of(sem), null, 1));
        assertEquals(1, sem.counter(), "waiting took the permit");
        releaser.join();
    }

    @Test
    void waitOnAFreeSemaphoreReturnsAtOnce() {
        Semaphore sem = new Semaphore(1);
        assertEquals(List.of(sem), Gevent.wait(List.of(sem), Duration.ofSeconds(10), 1));
        assertEquals(1, sem.counter());
    }

    @Test
    void waitWithTimeoutOnALockedSemaphoreReturnsNothing() {
        Semaphore sem = new Semaphore(0);
        assertEquals(List.of(), Gevent.wait(List.of(sem), Duration.ofMillis(20), 1));
        sem.release();
        assertEquals(1, sem.counter());
    }

    @Test
    void aRawlinkCallbackRunsOnceInTheHubAfterTheRelease() {
        Semaphore sem = new Semaphore(0);
        List<Thread> calls = new ArrayList<>();
        sem.rawlink(() -> calls.add(Thread.currentThread()));
        Gevent.sleep();
        assertEquals(List.of(), calls, "the callback ran while the semaphore was locked");
        sem.release();
        assertEquals(List.of(), calls, "the callback ran inside release()");
        Gevent.sleep();
        assertEquals(List.of(Gevent.getHub().thread()), calls);
        sem.release();
        Gevent.sleep();
        assertEquals(1, calls.size(), "a rawlink callback ran twice");
    }

    @Test
    void aRawlinkCallbackOnAFreeSemaphoreRunsSoonNotAtOnce() {
        Semaphore sem = new Semaphore(1);
        List<String> log = new ArrayList<>();
        sem.rawlink(() -> log.add("callback"));
        log.add("after rawlink");
        Gevent.sleep();
        assertEquals(List.of("after rawlink", "callback"), log);
    }

    @Test
    void callbacksRunInTheOrderTheyWereLinked() {
        Semaphore sem = new Semaphore(0);
        List<String> log = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            sem.rawlink(() -> log.add(name));
        }
        sem.release();
        Gevent.sleep();
        assertEquals(List.of("a", "b", "c"), log);
    }

    @Test
    void unlinkStopsACallbackAlsoAfterTheRelease() {
        Semaphore sem = new Semaphore(0);
        List<String> log = new ArrayList<>();
        Runnable before = () -> log.add("before");
        Runnable after = () -> log.add("after");
        sem.rawlink(before);
        sem.rawlink(after);
        sem.unlink(before);
        sem.release();
        sem.unlink(after);
        Gevent.sleep();
        assertEquals(List.of(), log);
        sem.unlink(() -> { });
    }

    @Test
    void aCallbackThatUnlinksAnotherDuringTheNotificationStopsIt() {
        Semaphore sem = new Semaphore(0);
        List<String> log = new ArrayList<>();
        Runnable second = () -> log.add("second");
        sem.rawlink(() -> {
            log.add("first");
            sem.unlink(second);
        });
        sem.rawlink(second);
        sem.release();
        Gevent.sleep();
        assertEquals(List.of("first"), log);
    }

    @Test
    void aCallbackWhoseTurnComesAfterThePermitWasTakenWaitsForTheNextRelease() {
        Semaphore sem = new Semaphore(0);
        List<String> log = new ArrayList<>();
        sem.rawlink(() -> log.add("callback"));
        sem.release();
        assertTrue(sem.tryAcquire());
        Gevent.sleep();
        assertEquals(List.of(), log, "the callback ran although no permit was free");
        sem.release();
        Gevent.sleep();
        assertEquals(List.of("callback"), log);
    }

    @Test
    void blockedAcquirersComeBeforeCallbacks() {
        Semaphore sem = new Semaphore(0);
        List<String> log = new ArrayList<>();
        Greenlet<Void> acquirer = Gevent.spawn(() -> {
            sem.acquire();
            log.add("acquirer");
            Gevent.sleep();
            sem.release();
        });
        Gevent.sleep();
        sem.rawlink(() -> log.add("callback"));
        sem.release();
        assertFalse(sem.ready(), "the permit went to the blocked acquirer");
        acquirer.join();
        Gevent.sleep();
        assertEquals(List.of("acquirer", "callback"), log);
    }
}
