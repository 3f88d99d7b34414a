package dev.gevent.internal;

import dev.gevent.Greenlet;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The hub's own platform thread, seen as a greenlet (gevent: the main greenlet, the hub's parent).
 * When it blocks it runs the loop until what it waits for is ready. It never dies while its hub
 * lives, so it cannot be joined or linked; an exception can be raised in it (a Timeout, a kill).
 */
final class MainGreenlet extends GreenletBase<Void> {
    /** What the main greenlet waits on, while it waits on a Waiter. */
    WaiterImpl<?> waitingFor;

    MainGreenlet(HubImpl hub) {
        super(hub);
    }

    /** @return true if the loop should hand control back to the main greenlet */
    boolean resumable() {
        return pending != null || (waitingFor != null && waitingFor.ready());
    }

    @Override
    void await(WaiterImpl<?> w) {
        if (pending != null) {
            throw Throwables.sneaky(takePending());
        }
        hub.runMainUntil(w);
        if (pending != null) {
            throw Throwables.sneaky(takePending());
        }
    }

    @Override
    void wake() {
        hub.wakeMain();
    }

    @Override
    void yieldNow() {
        hub.yieldMain();
    }

    @Override
    void deliver(Throwable e) {
        if (pending == null) {
            pending = e;
        }
        if (waiting) {
            hub.wakeMain();
        }
    }

    @Override
    public String name() {
        return "MainGreenlet[" + hub.thread.getName() + "]";
    }

    @Override
    public void start() {
    }

    @Override
    public void startLater(Duration delay) {
    }

    @Override
    public boolean started() {
        return true;
    }

    @Override
    public boolean ready() {
        return false;
    }

    @Override
    public boolean dead() {
        return false;
    }

    @Override
    public boolean successful() {
        return false;
    }

    @Override
    public Void value() {
        return null;
    }

    @Override
    public Throwable exception() {
        return null;
    }

    @Override
    public Void get() {
        throw unsupported("get");
    }

    @Override
    public Void get(Duration timeout) {
        throw unsupported("get");
    }

    @Override
    public Void getNow() {
        throw unsupported("getNow");
    }

    @Override
    public void join() {
        throw unsupported("join");
    }

    @Override
    public boolean join(Duration timeout) {
        throw unsupported("join");
    }

    /** Raises a GreenletExit at the main greenlet's blocking point; it cannot be waited for. */
    @Override
    public void kill() {
        killAsync(new dev.gevent.GreenletExit());
    }

    @Override
    public void kill(Throwable exception) {
        killAsync(exception);
    }

    @Override
    public boolean kill(Throwable exception, Duration timeout) {
        killAsync(exception);
        return false;
    }

    @Override
    public void killAsync(Throwable exception) {
        java.util.Objects.requireNonNull(exception, "exception");
        hub.onHub(() -> deliver(exception));
    }

    @Override
    public void link(Consumer<? super Greenlet<Void>> callback) {
        throw unsupported("link");
    }

    @Override
    public void linkValue(Consumer<? super Greenlet<Void>> callback) {
        throw unsupported("linkValue");
    }

    @Override
    public void linkException(Consumer<? super Greenlet<Void>> callback) {
        throw unsupported("linkException");
    }

    @Override
    public void unlink(Consumer<? super Greenlet<Void>> callback) {
    }

    @Override
    public void rawlink(Runnable callback) {
        throw unsupported("rawlink");
    }

    @Override
    public void unlink(Runnable callback) {
    }

    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + "() on the main greenlet of " + hub.thread.getName()
                + ": it lives as long as its hub and never dies; wait for a greenlet or use Hub.join()");
    }

    @Override
    public String toString() {
        return name();
    }
}
