package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Waiter;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.LoopProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a hub tells of itself: {@link Hub#greenletCount()}, the greenlets alive (started and not
 * dead, the main greenlet left out), which a leak check after a long run relies on; and
 * {@link Hub#startThread(String, LoopProvider)}, a hub on a loop the caller chooses.
 */
@GeventTck
public class HubCountsTck {
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @Test
    void greenletCountCountsTheLiveGreenletsAndDropsToZeroWhenTheyDie() {
        Hub hub = Gevent.getHub();
        assertEquals(0, hub.greenletCount(), "the main greenlet is not counted");
        List<Waiter<Void>> waiters = new ArrayList<>();
        List<Greenlet<Void>> parked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Waiter<Void> w = hub.newWaiter();
            waiters.add(w);
            parked.add(Gevent.spawn(() -> {
                w.get();
            }));
        }
        Gevent.idle();
        assertEquals(5, hub.greenletCount());
        waiters.getFirst().switchTo(null);
        parked.getFirst().join();
        assertEquals(4, hub.greenletCount());
        Gevent.killAll(parked);
        assertEquals(0, hub.greenletCount());
    }

    @Test
    void greenletCountIncludesVirtualThreadsStartedInAGreenletUntilTheyEnd() throws Exception {
        Hub hub = Gevent.getHub();
        Waiter<Void> release = hub.newWaiter();
        Greenlet<Thread> starter = Gevent.spawn(() -> Thread.ofVirtual().start(() -> {
            release.get();
        }));
        Thread child = starter.get();
        Gevent.idle();
        assertEquals(1, hub.greenletCount(), "the child thread, a greenlet of this hub by inheritance, waits");
        release.switchTo(null);
        Gevent.idle();
        child.join(PROMPTLY);
        assertEquals(0, hub.greenletCount());
    }

    @Test
    void startThreadOnAGivenLoopRunsAHubOnIt() throws Exception {
        LoopProvider underTest = TckConfig.provider();
        Hub hub = Hub.startThread("hub-on-a-given-loop", underTest);
        try {
            assertEquals(underTest.name(), hub.loopName());
            assertEquals(42, hub.spawn(() -> 42).get(PROMPTLY));
        } finally {
            hub.close();
        }
        assertFalse(hub.thread().isAlive());
    }

    @Test
    void startThreadOnALoopThatCannotRunHereSaysWhy() {
        LoopProvider unavailable = new LoopProvider() {
            @Override
            public String name() {
                return "nowhere";
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public String unavailableReason() {
                return "it exists only in this test";
            }

            @Override
            public EventLoop open() {
                throw new AssertionError("an unavailable loop was opened");
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Hub.startThread("never", unavailable));
        assertTrue(e.getMessage().contains("nowhere") && e.getMessage().contains("it exists only in this test"), e::getMessage);
    }
}
