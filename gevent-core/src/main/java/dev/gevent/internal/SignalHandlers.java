package dev.gevent.internal;

import dev.gevent.Cancellable;
import java.util.Objects;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * gevent.signal_handler on {@code sun.misc.Signal}: the JVM's signal thread hands each delivery to
 * the hub, which runs the handler in a new greenlet. An installed handler keeps its hub alive.
 */
final class SignalHandlers {
    private SignalHandlers() {
    }

    static Cancellable install(HubImpl hub, String name, Runnable handler) {
        Objects.requireNonNull(name, "signal");
        Objects.requireNonNull(handler, "handler");
        hub.checkOpen();
        String bare = name.startsWith("SIG") ? name.substring(3) : name;
        Signal signal;
        try {
            signal = new Signal(bare);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown signal " + name + ": expected a name such as TERM, HUP, INT, USR2", e);
        }
        SignalHandler ours = s -> hub.post(() -> hub.spawnRaw(handler::run));
        SignalHandler previous;
        try {
            previous = Signal.handle(signal, ours);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signal " + name + " cannot be handled: the JVM reserves it", e);
        }
        hub.onHub(hub::retain);
        return new Cancellable() {
            private boolean done;

            @Override
            public synchronized boolean cancel() {
                if (done) {
                    return false;
                }
                done = true;
                Signal.handle(signal, previous);
                hub.onHub(hub::release);
                return true;
            }
        };
    }
}
