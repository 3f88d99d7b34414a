package dev.gevent.tck.fault;

import dev.gevent.spi.EventLoop;
import dev.gevent.spi.LoopProvider;

/**
 * Wraps a backend so that its loop misbehaves as a {@link FaultPlan} says, to prove that the
 * socket layer above retries or reports correctly whatever the backend. Not registered as a
 * service: a hub gets it through {@link dev.gevent.Hub#startThread(String, LoopProvider)}. It
 * bears the wrapped backend's name, so the hub's {@code loopName()} is the backend's.
 */
public final class FaultInjectingLoopProvider implements LoopProvider {
    private final LoopProvider inner;
    private final FaultPlan plan;

    /**
     * @param inner the backend to wrap
     * @param plan the faults of the one loop it opens
     */
    public FaultInjectingLoopProvider(LoopProvider inner, FaultPlan plan) {
        this.inner = inner;
        this.plan = plan;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int priority() {
        return inner.priority();
    }

    @Override
    public String unavailableReason() {
        return inner.unavailableReason();
    }

    @Override
    public EventLoop open() {
        return new FaultInjectingEventLoop(inner.open(), plan);
    }
}
