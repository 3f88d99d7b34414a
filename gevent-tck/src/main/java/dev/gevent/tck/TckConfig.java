package dev.gevent.tck;

import dev.gevent.spi.EventLoop;
import dev.gevent.spi.LoopProvider;
import java.util.ServiceLoader;

/**
 * What the TCK runs against. A backend runs the whole TCK with one suite class and the system
 * property {@code gevent.loop} naming its loop (surefire's {@code systemPropertyVariables}).
 */
public final class TckConfig {
    private TckConfig() {
    }

    /**
     * @return the loop under test
     * @throws IllegalStateException if {@code gevent.loop} is not set
     */
    public static String loopName() {
        String name = System.getProperty("gevent.loop");
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("The TCK needs -Dgevent.loop=<loop under test> (nio, epoll, io_uring, ...)");
        }
        return name.trim();
    }

    /**
     * @return the provider of the loop under test
     * @throws IllegalStateException if it is not on the class path or cannot run here
     */
    public static LoopProvider provider() {
        String name = loopName();
        for (LoopProvider p : ServiceLoader.load(LoopProvider.class)) {
            if (p.name().equals(name)) {
                String why = p.unavailableReason();
                if (why != null) {
                    throw new IllegalStateException("gevent.loop=" + name + " cannot run here: " + why);
                }
                return p;
            }
        }
        throw new IllegalStateException("gevent.loop=" + name + ": no such loop on the class path");
    }

    /** @return a new event loop of the loop under test, owned by the calling thread */
    public static EventLoop openLoop() {
        return provider().open();
    }
}
