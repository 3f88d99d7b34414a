package dev.gevent.internal;

import dev.gevent.Cancellable;

/**
 * A deadline in a hub's {@link TimerHeap}. Subclasses say what firing does. Hub thread only; a
 * cancel from another thread is passed to the hub (and then reports false: it happens later).
 */
abstract class Timer implements Cancellable {
    final HubImpl hub;
    long deadline;
    long seq;
    /** Position in the heap, or -1 when not in it. */
    int index = -1;

    Timer(HubImpl hub) {
        this.hub = hub;
    }

    /** Runs on the hub thread when the deadline passes. */
    abstract void fire();

    /** @return what an error report names when firing throws */
    Object context() {
        return this;
    }

    /** @return true while scheduled and neither fired nor cancelled */
    final boolean scheduled() {
        return index >= 0;
    }

    @Override
    public boolean cancel() {
        if (!hub.isHubThread()) {
            hub.post(this::cancel);
            return false;
        }
        return hub.timers.remove(this);
    }

    /** A timer that runs a callback: {@code callLater}. */
    static final class Callback extends Timer {
        private final Runnable action;

        Callback(HubImpl hub, Runnable action) {
            super(hub);
            this.action = action;
        }

        @Override
        void fire() {
            action.run();
        }

        @Override
        Object context() {
            return action;
        }

        @Override
        public String toString() {
            return "callLater(" + action + ")";
        }
    }
}
