package dev.gevent.tck.fault;

import dev.gevent.spi.EventLoop;
import dev.gevent.spi.Transport;

/**
 * A backend's {@link EventLoop} with the faults of a {@link FaultPlan}: polls that return at once
 * having run nothing (EINTR), and a {@link FaultInjectingTransport} for the operations. A poll
 * while operations are held back does not wait, since their storm ends only as polls pass.
 */
final class FaultInjectingEventLoop implements EventLoop {
    private final EventLoop inner;
    private final FaultPlan plan;
    private final FaultInjectingTransport transport;
    /** Polls that would wait and returned at once, in a row. */
    private int interruptedInARow;

    FaultInjectingEventLoop(EventLoop inner, FaultPlan plan) {
        this.inner = inner;
        this.plan = plan;
        this.transport = new FaultInjectingTransport(inner, plan);
        plan.attach(transport);
    }

    @Override
    public void poll(long timeoutNanos) {
        if (timeoutNanos != 0 && interruptedInARow < plan.interruptedPolls()) {
            interruptedInARow++;
            plan.countInterrupted();
            return;
        }
        interruptedInARow = 0;
        inner.poll(transport.hasHeldBack() ? 0 : timeoutNanos);
        transport.afterPoll();
    }

    @Override
    public void wakeup() {
        inner.wakeup();
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public int pendingOperations() {
        return transport.pendingOperations();
    }

    @Override
    public void close() {
        transport.closeAll();
        inner.close();
    }
}
