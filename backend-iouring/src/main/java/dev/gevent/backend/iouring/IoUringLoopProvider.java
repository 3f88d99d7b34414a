package dev.gevent.backend.iouring;

import com.google.auto.service.AutoService;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.LoopProvider;

/**
 * The {@code io_uring} loop: Linux io_uring(7), completion based, called through
 * {@code java.lang.foreign}. It ranks above {@code epoll} (priority 30) and runs on Linux x86_64
 * and aarch64 from 5.19 on, where io_uring is neither disabled ({@code kernel.io_uring_disabled})
 * nor filtered (seccomp); {@link #unavailableReason()} says which is missing otherwise.
 */
@AutoService(LoopProvider.class)
public final class IoUringLoopProvider implements LoopProvider {
    /** The value of {@code gevent.loop} that selects this loop. */
    public static final String NAME = "io_uring";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public IoUringLoopProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 30;
    }

    /**
     * Probes once per class loader; whatever goes wrong while calling the kernel becomes the reason
     * rather than an exception.
     */
    @Override
    public String unavailableReason() {
        try {
            return Availability.UNAVAILABLE;
        } catch (Throwable e) {
            return "cannot probe the io_uring loop: " + e;
        }
    }

    /**
     * @throws IllegalStateException if the loop cannot run here
     * @throws java.io.UncheckedIOException if the io_uring instance or the eventfd cannot be created
     */
    @Override
    public EventLoop open() {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException("the io_uring loop is not available: " + why);
        }
        return new IoUringEventLoop();
    }
}
