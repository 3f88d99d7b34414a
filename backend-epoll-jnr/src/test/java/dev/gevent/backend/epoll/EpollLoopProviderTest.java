package dev.gevent.backend.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.spi.EventLoop;
import dev.gevent.spi.LoopProvider;
import java.util.Locale;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The provider's registration and its availability probe. */
class EpollLoopProviderTest {
    @Test
    void isFoundByTheServiceLoaderAsEpollAboveNio() {
        LoopProvider found = ServiceLoader.load(LoopProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("epoll"))
                .findFirst()
                .orElse(null);
        assertNotNull(found, "an epoll LoopProvider is registered");
        assertTrue(found.priority() > 10, "ranks above nio");
    }

    @Test
    void isAvailableOnLinuxAndOpensALoop() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
        EpollLoopProvider provider = new EpollLoopProvider();
        assertNull(provider.unavailableReason());
        try (EventLoop loop = provider.open()) {
            loop.poll(0);
            assertEquals(0, loop.pendingOperations());
        }
    }
}
