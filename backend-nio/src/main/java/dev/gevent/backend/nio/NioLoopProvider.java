package dev.gevent.backend.nio;

import com.google.auto.service.AutoService;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.LoopProvider;

/**
 * The {@code nio} loop: a {@link java.nio.channels.Selector} with non-blocking socket channels. It
 * runs wherever the JDK does, so it is always available, and ranks lowest (priority 10) so that a
 * native loop wins when one can run.
 */
@AutoService(LoopProvider.class)
public final class NioLoopProvider implements LoopProvider {
    /** The value of {@code gevent.loop} that selects this loop. */
    public static final String NAME = "nio";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public NioLoopProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public EventLoop open() {
        return new NioEventLoop();
    }
}
