package dev.gevent.backend.iouring;

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
class IoUringLoopProviderTest {
    @Test
    void isFoundByTheServiceLoaderAsIoUringAboveEpoll() {
        LoopProvider found = ServiceLoader.load(LoopProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("io_uring"))
                .findFirst()
                .orElse(null);
        assertNotNull(found, "an io_uring LoopProvider is registered");
        assertTrue(found.priority() > 20, "ranks above epoll");
    }

    @Test
    void isAvailableOnLinuxAndOpensALoop() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
        IoUringLoopProvider provider = new IoUringLoopProvider();
        assertNull(provider.unavailableReason());
        try (EventLoop loop = provider.open()) {
            loop.poll(0);
            loop.wakeup();
            loop.poll(EventLoop.FOREVER);
            assertEquals(0, loop.pendingOperations());
        }
    }
}
