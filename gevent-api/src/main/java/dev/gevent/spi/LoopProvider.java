package dev.gevent.spi;

/**
 * A loop backend, found through {@link java.util.ServiceLoader} (register it with
 * {@code @AutoService(LoopProvider.class)}). The runtime picks the one named by
 * {@code -Dgevent.loop} (else the environment variable {@code GEVENT_LOOP}), else the available one
 * of highest priority, and opens one {@link EventLoop} per hub.
 */
public interface LoopProvider {
    /** @return the loop's name, the value of {@code gevent.loop}: "nio", "epoll", "io_uring" */
    String name();

    /** @return its rank when none is named; higher wins (io_uring > epoll > nio) */
    int priority();

    /** @return null if this loop can run here; otherwise why not, in words an operator can act on */
    String unavailableReason();

    /**
     * @return a new event loop, owned by the calling thread from then on
     * @throws java.io.UncheckedIOException or IllegalStateException if it cannot be opened
     */
    EventLoop open();
}
