package dev.gevent.backend.epoll;

import com.google.auto.service.AutoService;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.LoopProvider;

/**
 * The {@code epoll} loop: Linux epoll(7) with raw non-blocking socket descriptors, calling libc
 * through jnr-ffi. It ranks above {@code nio} (priority 20) and runs on Linux x86_64 and aarch64
 * when jnr-ffi can bind libc; {@link #unavailableReason()} says what is missing otherwise.
 */
@AutoService(LoopProvider.class)
public final class EpollLoopProvider implements LoopProvider {
    /** The value of {@code gevent.loop} that selects this loop. */
    public static final String NAME = "epoll";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public EpollLoopProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 20;
    }

    /**
     * Probes once per class loader; whatever goes wrong while binding libc (jnr-ffi missing, its
     * native library refused, a missing symbol) becomes the reason rather than an exception.
     */
    @Override
    public String unavailableReason() {
        try {
            return Native.UNAVAILABLE;
        } catch (Throwable e) {
            return "cannot load the epoll loop's native binding: " + e;
        }
    }

    /**
     * @throws IllegalStateException if the loop cannot run here
     * @throws java.io.UncheckedIOException if epoll or the eventfd cannot be created
     */
    @Override
    public EventLoop open() {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException("the epoll loop is not available: " + why);
        }
        return new EpollEventLoop();
    }
}
