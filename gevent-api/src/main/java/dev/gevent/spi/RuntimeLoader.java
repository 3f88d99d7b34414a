package dev.gevent.spi;

import java.util.ServiceLoader;

/** Finds the one {@link GeventRuntime} on the class path, once. */
final class RuntimeLoader {
    static final GeventRuntime RUNTIME = load();

    private RuntimeLoader() {
    }

    private static GeventRuntime load() {
        return ServiceLoader.load(GeventRuntime.class, RuntimeLoader.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "No gevent runtime on the class path: add the artifact dev.gevent:gevent-core"));
    }
}
