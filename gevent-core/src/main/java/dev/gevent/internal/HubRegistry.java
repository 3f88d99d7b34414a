package dev.gevent.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open hub of the JVM, for greenlet dumps. A hub joins when created and leaves when closed,
 * or once its thread has ended without closing it (a thread that only waited once, say): the
 * registry must not keep such a hub from being collected.
 */
final class HubRegistry {
    private static final Set<HubImpl> HUBS = ConcurrentHashMap.newKeySet();

    private HubRegistry() {
    }

    static void add(HubImpl hub) {
        HUBS.removeIf(h -> !h.thread.isAlive());
        HUBS.add(hub);
        Greenlets.registerOnce();
    }

    static void remove(HubImpl hub) {
        HUBS.remove(hub);
    }

    /** @return the open hubs, in no particular order */
    static List<HubImpl> hubs() {
        HUBS.removeIf(h -> !h.thread.isAlive());
        return List.copyOf(HUBS);
    }
}
