package dev.gevent.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every open hub of the JVM, for greenlet dumps. A hub joins when created and leaves when closed. */
final class HubRegistry {
    private static final Set<HubImpl> HUBS = ConcurrentHashMap.newKeySet();

    private HubRegistry() {
    }

    static void add(HubImpl hub) {
        HUBS.add(hub);
        Greenlets.registerOnce();
    }

    static void remove(HubImpl hub) {
        HUBS.remove(hub);
    }

    /** @return the open hubs, in no particular order */
    static List<HubImpl> hubs() {
        return List.copyOf(HUBS);
    }
}
