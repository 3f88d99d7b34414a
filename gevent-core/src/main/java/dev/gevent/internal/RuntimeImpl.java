package dev.gevent.internal;

import com.google.auto.service.AutoService;
import dev.gevent.Cancellable;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.ThrowingRunnable;
import dev.gevent.WaitIterator;
import dev.gevent.Waitable;
import dev.gevent.spi.GeventRuntime;
import dev.gevent.spi.LoopProvider;
import dev.gevent.spi.TimeoutTimer;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The runtime gevent-core provides to the {@code dev.gevent} facade. */
@AutoService(GeventRuntime.class)
public final class RuntimeImpl implements GeventRuntime {
    private static final ThreadLocal<HubImpl> PLATFORM_HUB = new ThreadLocal<>();
    private static volatile long switchIntervalNanos = initialSwitchInterval();

    /** Used by {@link java.util.ServiceLoader}. */
    public RuntimeImpl() {
    }

    private static long initialSwitchInterval() {
        String v = Config.get("gevent.switchInterval", "GEVENT_SWITCH_INTERVAL");
        return v == null ? 5_000_000L : Config.parseDuration("gevent.switchInterval", v).toNanos();
    }

    static long switchIntervalNanos() {
        return switchIntervalNanos;
    }

    /** @return the hub of the calling thread, created on first use for a platform thread */
    static HubImpl hubOfCurrentThread() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Executor scheduler = VirtualThreads.scheduler(t);
            HubImpl hub = HubImpl.ofScheduler(scheduler);
            if (hub == null) {
                throw new IllegalStateException("No hub for " + t + ": it is a virtual thread of the JDK's scheduler, not a"
                        + " greenlet, and a hub needs a platform thread of its own. Use Hub.startThread(name) and"
                        + " spawn onto that hub, or hub.threadFactory() to make greenlets of an existing hub");
            }
            return hub;
        }
        HubImpl hub = PLATFORM_HUB.get();
        if (hub == null) {
            hub = new HubImpl(t);
            PLATFORM_HUB.set(hub);
        }
        return hub;
    }

    /**
     * @return the hub of the calling thread if it has one (a greenlet's, or a platform thread's that
     *     made or ran one and has not closed it), else null; creates nothing
     */
    static HubImpl hubOfCurrentThreadIfAny() {
        Thread t = Thread.currentThread();
        HubImpl hub = t.isVirtual() ? HubImpl.ofScheduler(VirtualThreads.scheduler(t)) : PLATFORM_HUB.get();
        return hub == null || hub.isClosed() ? null : hub;
    }

    /** Makes the hub of the calling platform thread, which has none yet, on {@code provider}'s loop. */
    private static HubImpl newHubOfCurrentThread(LoopProvider provider) {
        HubImpl hub = new HubImpl(Thread.currentThread(), provider);
        PLATFORM_HUB.set(hub);
        return hub;
    }

    /** @return the strand running the calling code: its greenlet, or its hub's main greenlet */
    static GreenletBase<?> currentStrand() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            GreenletImpl<?> g = GreenletImpl.CURRENT.get();
            if (g != null) {
                return g;
            }
            return GreenletImpl.adopt(hubOfCurrentThread(), t);
        }
        return hubOfCurrentThread().main;
    }

    /**
     * @return the strand of the calling code, which is about to block
     * @throws dev.gevent.BlockingSwitchOutError in a hub callback
     */
    static GreenletBase<?> blockingStrand() {
        if (Thread.currentThread().isVirtual()) {
            return currentStrand();
        }
        return hubOfCurrentThread().currentStrandForBlocking();
    }

    /** A closed hub is no longer the thread's hub: the next use makes a fresh one. */
    static void forget(HubImpl hub) {
        if (Thread.currentThread() == hub.thread && PLATFORM_HUB.get() == hub) {
            PLATFORM_HUB.remove();
        }
    }

    @Override
    public Hub currentHub() {
        return hubOfCurrentThread();
    }

    @Override
    public Greenlet<?> currentGreenlet() {
        return currentStrand();
    }

    @Override
    public <T> Greenlet<T> newGreenlet(Callable<? extends T> fn) {
        Objects.requireNonNull(fn, "spawn: the function must not be null");
        HubImpl hub = hubOfCurrentThread();
        hub.checkOpen();
        return GreenletImpl.of(hub, fn);
    }

    @Override
    public Greenlet<Void> newGreenlet(ThrowingRunnable fn) {
        Objects.requireNonNull(fn, "spawn: the function must not be null");
        HubImpl hub = hubOfCurrentThread();
        hub.checkOpen();
        return GreenletImpl.of(hub, fn);
    }

    @Override
    public Thread spawnRaw(ThrowingRunnable fn) {
        Objects.requireNonNull(fn, "spawnRaw: the function must not be null");
        return hubOfCurrentThread().spawnRaw(fn);
    }

    @Override
    public void sleep(Duration duration) {
        GreenletBase<?> me = blockingStrand();
        HubImpl hub = me.hub;
        if (duration.isZero()) {
            me.yieldNow();
            return;
        }
        WaiterImpl<Object> w = new WaiterImpl<>(hub);
        Timer t = hub.scheduleWaiter(w, duration);
        try {
            w.get();
        } finally {
            t.cancel();
        }
    }

    @Override
    public void idle() {
        GreenletBase<?> me = blockingStrand();
        me.hub.idle();
    }

    @Override
    public TimeoutTimer startTimeout(Duration duration, Throwable toRaise) {
        GreenletBase<?> me = currentStrand();
        TimeoutTimerImpl t = new TimeoutTimerImpl(me, toRaise);
        me.hub.schedule(t, duration);
        return t;
    }

    @Override
    public <W extends Waitable> WaitIterator<W> iwait(Collection<W> objects, Duration timeout, int count) {
        return new WaitIteratorImpl<>(currentStrand().hub, objects, timeout, count);
    }

    @Override
    public Cancellable signalHandler(String signal, Runnable handler) {
        return SignalHandlers.install(hubOfCurrentThread(), signal, handler);
    }

    @Override
    public Duration switchInterval() {
        return Duration.ofNanos(switchIntervalNanos);
    }

    @Override
    public void setSwitchInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("switch interval must be positive, got " + interval);
        }
        switchIntervalNanos = interval.toNanos();
    }

    @Override
    public String dumpGreenlets() {
        return GreenletDump.format();
    }

    @Override
    public Hub startHubThread(String name) {
        return startHubThread(name, RuntimeImpl::hubOfCurrentThread);
    }

    @Override
    public Hub startHubThread(String name, LoopProvider loop) {
        Objects.requireNonNull(loop, "loop");
        return startHubThread(name, () -> newHubOfCurrentThread(loop));
    }

    private static Hub startHubThread(String name, Supplier<HubImpl> newHub) {
        Objects.requireNonNull(name, "name");
        CompletableFuture<HubImpl> started = new CompletableFuture<>();
        HubImpl.HubThread thread = new HubImpl.HubThread(name, () -> {
            HubImpl hub;
            try {
                hub = newHub.get();
            } catch (Throwable e) {
                started.completeExceptionally(e);
                return;
            }
            started.complete(hub);
            hub.runUntilClosed();
        });
        thread.start();
        try {
            return started.join();
        } catch (java.util.concurrent.CompletionException e) {
            // the hub could not be made (no loop can run here): the caller gets the reason itself
            throw Throwables.sneaky(e.getCause());
        }
    }
}
