package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.LoopExit;
import dev.gevent.Waiter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Deadlock detection (gevent: {@code LoopExit}, "This operation would block forever"): a caller
 * that blocks with nothing left that could wake it gets {@code LoopExit}; a timer, a greenlet in a
 * JDK blocking call, or another thread that can still deliver a wake-up keeps it waiting instead.
 */
@GeventTck
public class LoopExitTck {

    @Test
    void joiningAGreenletBlockedForeverOnAWaiterThrowsLoopExit() {
        Hub hub = Gevent.getHub();
        Waiter<String> nobodyWillSwitch = hub.newWaiter();
        Greenlet<String> stuck = Gevent.spawn(nobodyWillSwitch::get);
        assertThrows(LoopExit.class, stuck::join);
        assertFalse(stuck.dead());
        stuck.kill();
        assertTrue(stuck.dead());
    }

    @Test
    void waitingOnAWaiterNobodyWillSwitchThrowsLoopExit() {
        Waiter<String> nobodyWillSwitch = Gevent.getHub().newWaiter();
        assertThrows(LoopExit.class, nobodyWillSwitch::get);
    }

    @Test
    void hubStaysUsableAfterLoopExit() {
        Waiter<String> nobodyWillSwitch = Gevent.getHub().newWaiter();
        Greenlet<String> stuck = Gevent.spawn(nobodyWillSwitch::get);
        assertThrows(LoopExit.class, () -> stuck.get());
        assertEquals(7, Gevent.spawn(() -> 7).get());
        stuck.kill();
    }

    @Test
    void aPendingTimerIsNotADeadlock() {
        Greenlet<String> g = Gevent.spawn(() -> {
            Gevent.sleep(Duration.ofMillis(30));
            return "woke";
        });
        assertEquals("woke", g.get());
    }

    @Test
    void aGreenletBlockedInThreadSleepIsNotADeadlock() {
        Greenlet<String> g = Gevent.spawn(() -> {
            Thread.sleep(100);
            return "woke";
        });
        g.join();
        assertEquals("woke", g.get());
    }

    @Test
    void aGreenletInAJdkCallThatAnotherThreadWillWakeIsNotADeadlock() throws InterruptedException {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        CountDownLatch taking = new CountDownLatch(1);
        Greenlet<String> g = Gevent.spawn(() -> {
            taking.countDown();
            return queue.take();
        });
        Thread producer = Thread.ofPlatform().name("tck-producer").start(() -> {
            try {
                taking.await();
                queue.put("from another thread");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals("from another thread", g.get());
        producer.join();
    }

    /**
     * gevent: {@code gevent.wait()} with no objects returns once the loop has nothing left to do; a
     * greenlet blocked forever on a waiter is not work the loop could do, so this is no deadlock
     * for the caller of {@code hub.join()}.
     */
    @Test
    void hubJoinReturnsEvenIfAGreenletIsBlockedForeverOnAWaiter() {
        Hub hub = Gevent.getHub();
        Waiter<String> nobodyWillSwitch = hub.newWaiter();
        Greenlet<String> stuck = Gevent.spawn(nobodyWillSwitch::get);
        assertTrue(hub.join());
        assertFalse(stuck.dead());
        stuck.kill();
    }
}
