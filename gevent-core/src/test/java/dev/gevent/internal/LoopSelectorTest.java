package dev.gevent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Backend selection: gevent.loop names one, else the available one of highest priority. */
@Timeout(10)
@ResourceLock("gevent.loop")
class LoopSelectorTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty("gevent.loop");
    }

    @Test
    void withoutANameTheAvailableProviderOfHighestPriorityWins() {
        assertEquals("fake-portable", LoopSelector.choose().name());
    }

    @Test
    void aNamedLoopIsChosen() {
        System.setProperty("gevent.loop", "fake-portable");
        assertEquals("fake-portable", LoopSelector.choose().name());
    }

    @Test
    void aNamedLoopThatCannotRunSaysWhy() {
        System.setProperty("gevent.loop", "fake-fast");
        IllegalStateException e = assertThrows(IllegalStateException.class, LoopSelector::choose);
        assertTrue(e.getMessage().contains("gevent.loop=fake-fast cannot run here")
                && e.getMessage().contains(FakeLoopProviders.Unavailable.WHY), e.getMessage());
    }

    @Test
    void aMissingLoopListsWhatIsAvailable() {
        System.setProperty("gevent.loop", "io_uring");
        IllegalStateException e = assertThrows(IllegalStateException.class, LoopSelector::choose);
        assertTrue(e.getMessage().contains("gevent.loop=io_uring: no such loop on the class path")
                && e.getMessage().contains("fake-portable"), e.getMessage());
    }
}
