package dev.gevent.internal;

import dev.gevent.spi.EventLoop;
import dev.gevent.spi.LoopProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Chooses the loop backend of a new hub: the one {@code gevent.loop} / {@code GEVENT_LOOP} names,
 * else the available one of highest priority.
 */
final class LoopSelector {
    private static final List<LoopProvider> PROVIDERS = load();

    private LoopSelector() {
    }

    private static List<LoopProvider> load() {
        List<LoopProvider> list = new ArrayList<>();
        ServiceLoader.load(LoopProvider.class, LoopSelector.class.getClassLoader()).forEach(list::add);
        list.sort(Comparator.comparingInt(LoopProvider::priority).reversed());
        return List.copyOf(list);
    }

    /** @return the chosen provider */
    static LoopProvider choose() {
        String named = Config.get("gevent.loop", "GEVENT_LOOP");
        if (named != null) {
            for (LoopProvider p : PROVIDERS) {
                if (p.name().equals(named)) {
                    String why = p.unavailableReason();
                    if (why != null) {
                        throw new IllegalStateException("gevent.loop=" + named + " cannot run here: " + why);
                    }
                    return p;
                }
            }
            throw new IllegalStateException("gevent.loop=" + named + ": no such loop on the class path (available: "
                    + names() + "); add its artifact, e.g. dev.gevent:gevent-backend-" + named.replace("_", ""));
        }
        StringBuilder reasons = new StringBuilder();
        for (LoopProvider p : PROVIDERS) {
            String why = p.unavailableReason();
            if (why == null) {
                return p;
            }
            reasons.append("; ").append(p.name()).append(": ").append(why);
        }
        throw new IllegalStateException(PROVIDERS.isEmpty()
                ? "No gevent loop backend on the class path: add dev.gevent:gevent-backend-nio"
                : "No gevent loop backend can run here" + reasons);
    }

    /**
     * @param p a provider given by the caller rather than chosen here
     * @throws IllegalStateException if it cannot run here, with its reason
     */
    static void checkAvailable(LoopProvider p) {
        String why = p.unavailableReason();
        if (why != null) {
            throw new IllegalStateException("loop " + p.name() + " cannot run here: " + why);
        }
    }

    /** @return a new loop of the chosen backend, and its name */
    static EventLoop open(LoopProvider p) {
        EventLoop loop = p.open();
        if (loop == null) {
            throw new IllegalStateException("loop provider " + p.name() + " returned no event loop");
        }
        return loop;
    }

    private static String names() {
        return PROVIDERS.isEmpty() ? "none" : PROVIDERS.stream().map(LoopProvider::name).collect(Collectors.joining(", "));
    }
}
