package dev.gevent.internal;

import dev.gevent.spi.TimeoutTimer;

/**
 * The timer of a started {@link dev.gevent.Timeout}: when it fires, the exception is raised at the
 * target greenlet's blocking point. Cancelling after it fired withdraws the exception if it has
 * not been raised yet, so a Timeout never escapes the block that started it.
 */
final class TimeoutTimerImpl extends Timer implements TimeoutTimer {
    private final GreenletBase<?> target;
    private final Throwable raised;
    private volatile boolean fired;
    private volatile boolean active = true;

    TimeoutTimerImpl(GreenletBase<?> target, Throwable raised) {
        super(target.hub);
        this.target = target;
        this.raised = raised;
    }

    @Override
    void fire() {
        fired = true;
        active = false;
        target.deliver(raised);
    }

    @Override
    public boolean cancel() {
        if (!hub.isHubThread()) {
            hub.post(this::cancel);
            boolean was = active;
            active = false;
            return was;
        }
        boolean was = active;
        active = false;
        if (!hub.timers.remove(this) && fired) {
            target.withdraw(raised);
        }
        return was;
    }

    @Override
    public boolean pending() {
        return active;
    }

    @Override
    public boolean fired() {
        return fired;
    }

    @Override
    Object context() {
        return "Timeout for " + target.name();
    }
}
