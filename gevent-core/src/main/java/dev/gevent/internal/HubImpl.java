package dev.gevent.internal;

import dev.gevent.BlockingSwitchOutError;
import dev.gevent.Cancellable;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Hub;
import dev.gevent.LoopExit;
import dev.gevent.ThrowingRunnable;
import dev.gevent.Waiter;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.LoopProvider;
import dev.gevent.spi.Transport;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A hub: the event loop of one platform thread and the scheduler of its greenlets.
 *
 * <p>One loop iteration: run ready callbacks and greenlet continuations FIFO until none is left or
 * the switch interval is spent; take what other threads queued; poll the event loop (without
 * waiting if work is ready, else until the next timer); fire expired timers. The ready queue is a
 * plain deque touched only by the hub thread; other threads go through a lock-free queue and wake
 * the loop only when it is polling.
 */
final class HubImpl implements Hub {
    private static final Runnable MAIN_WAKE = () -> { };
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final int CONTINUE = 0;
    private static final int RESUMED = 1;
    private static final int IDLE = 2;
    /** How long {@link #close()} lets killed greenlets run their cleanup. */
    private static final long CLOSE_GRACE_NANOS = 2_000_000_000L;
    private static final VarHandle POLLING;
    private static final VarHandle LAST_POLL;

    static {
        try {
            POLLING = MethodHandles.lookup().findVarHandle(HubImpl.class, "polling", int.class);
            LAST_POLL = MethodHandles.lookup().findVarHandle(HubImpl.class, "lastPoll", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread thread;
    final MainGreenlet main;
    final TimerHeap timers = new TimerHeap();
    /** The main greenlet runs greenlets on its own thread: see {@link CarrierMonitors}. */
    private final CarrierMonitors carrierMonitors = new CarrierMonitors();
    private final EventLoop loop;
    private final String loopName;
    private final Thread.Builder.OfVirtual builder;
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>(256);
    private final ConcurrentLinkedQueue<Runnable> foreign = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<WaiterImpl<?>> idlers = new ArrayDeque<>();
    /** 1 while the hub thread is (about to be) blocked in poll: other threads must wake it. */
    @SuppressWarnings("unused")
    private volatile int polling;
    /** True while the hub runs callbacks, completions and continuations: nothing may block. */
    private boolean dispatching;
    /**
     * The hub thread was interrupted while it ran the loop. A pending interrupt makes every poll
     * return at once, so the loop clears it and the main greenlet gets it back when it resumes, as
     * the JDK's uninterruptible waits do.
     */
    private boolean interruptedInLoop;
    /**
     * When the loop last polled: the main greenlet's yields must not starve I/O and timers. The
     * blocking monitor samples it from its own thread.
     */
    private long lastPoll;
    /** The marker of the main greenlet's sleep(0): reaching it in the ready queue resumes the main greenlet. */
    private Runnable mainYield;
    private volatile boolean closeRequested;
    /** Set once closing began: greenlets that have not run yet die without running. */
    volatile boolean closing;
    private volatile boolean closed;
    private GreenletImpl<?> aliveHead;
    private int aliveCount;
    /** Things outside the loop that will wake it (thread-pool work, signal handlers). */
    private int keepAlive;
    private static final java.util.concurrent.atomic.AtomicLong GREENLET_IDS = new java.util.concurrent.atomic.AtomicLong();
    /** Per-hub singletons of other packages (the default thread pool), closed with the hub. */
    private Map<Object, Object> resources;
    private volatile BiConsumer<Object, Throwable> errorHandler;

    HubImpl(Thread thread) {
        this(thread, LoopSelector.choose());
    }

    /** A hub on {@code provider}'s loop, whatever {@code gevent.loop} names. */
    HubImpl(Thread thread, LoopProvider provider) {
        VirtualThreads.check();
        this.thread = thread;
        LoopSelector.checkAvailable(provider);
        this.loop = LoopSelector.open(provider);
        this.loopName = provider.name();
        this.main = new MainGreenlet(this);
        this.builder = VirtualThreads.builder(new Scheduler());
        HubRegistry.add(this);
        try {
            BlockingMonitor.hubCreated(this);
            DumpSignal.installIfConfigured();
        } catch (RuntimeException e) {
            HubRegistry.remove(this);
            loop.close();
            throw e;
        }
    }

    /** Runs the continuations of this hub's virtual threads: what makes them greenlets. */
    private final class Scheduler implements Executor {
        HubImpl hub() {
            return HubImpl.this;
        }

        @Override
        public void execute(Runnable continuation) {
            if (VirtualThreads.currentCarrier() == thread) {
                ready.addLast(continuation);
            } else {
                submitForeign(continuation);
            }
        }
    }

    /** @return the hub whose scheduler is {@code scheduler}, or null if it is not a hub's */
    static HubImpl ofScheduler(Executor scheduler) {
        return scheduler instanceof Scheduler s ? s.hub() : null;
    }

    // ---- threads ---------------------------------------------------------------------------

    boolean isHubThread() {
        return VirtualThreads.currentCarrier() == thread;
    }

    private void checkHubThread(String what) {
        if (!isHubThread()) {
            throw new IllegalStateException(what + " is hub thread only: call it from " + thread.getName()
                    + " or one of its greenlets, not from " + Thread.currentThread() + "; use callThreadSafe from other threads");
        }
    }

    void checkOpen() {
        if (closed || closing) {
            throw new IllegalStateException("the hub of " + thread.getName() + " is closed");
        }
    }

    /**
     * Called from any thread (spawn from a foreign thread, the executor). The JDK documents builders
     * as not thread-safe because of their name counter; this one has no name, so unstarted() reads
     * only state fixed at construction.
     */
    Thread newThread(Runnable body) {
        return builder.unstarted(body);
    }

    /** Greenlets are created on any thread (Hub.spawn, the executor): ids come from one atomic counter. */
    static long nextGreenletId() {
        return GREENLET_IDS.incrementAndGet();
    }

    /**
     * @return the strand of the calling code, which is about to block
     * @throws BlockingSwitchOutError if the calling code is a hub callback
     */
    GreenletBase<?> currentStrandForBlocking() {
        Thread t = Thread.currentThread();
        if (t == thread) {
            if (dispatching) {
                throw new BlockingSwitchOutError("Impossible to call a blocking function in a hub callback"
                        + " (callSoon, callLater, rawlink, an I/O completion): spawn a greenlet to block");
            }
            return main;
        }
        GreenletBase<?> g = GreenletImpl.CURRENT.get();
        if (g == null) {
            g = RuntimeImpl.blockingStrand();
        }
        if (g.hub != this) {
            throw new IllegalStateException("a Waiter of the hub of " + thread.getName()
                    + " can only be waited on by that hub's greenlets, not by " + t);
        }
        return g;
    }

    // ---- queues ----------------------------------------------------------------------------

    /** Appends to the ready queue. Hub thread only. */
    void enqueue(Runnable r) {
        ready.addLast(r);
    }

    /** Runs {@code r} now if on the hub thread, else soon on it; dropped once the hub is closed. */
    void onHub(Runnable r) {
        if (isHubThread()) {
            r.run();
        } else {
            post(r);
        }
    }

    /** Queues {@code r} for the hub from any thread; dropped once the hub is closed. */
    void post(Runnable r) {
        if (isHubThread()) {
            ready.addLast(r);
        } else if (!closed) {
            submitForeign(r);
        }
    }

    private void submitForeign(Runnable r) {
        foreign.offer(r);
        if (polling == 1 && POLLING.compareAndSet(this, 1, 0)) {
            loop.wakeup();
        }
    }

    private void drainForeign() {
        Runnable r;
        while ((r = foreign.poll()) != null) {
            ready.addLast(r);
        }
    }

    void wakeMain() {
        ready.addLast(MAIN_WAKE);
    }

    /** The main greenlet's sleep(0): it resumes once everything runnable now has run once. */
    void yieldMain() {
        WaiterImpl<Object> w = new WaiterImpl<>(this);
        mainYield = w;
        ready.addLast(w);
        try {
            w.get();
        } finally {
            mainYield = null;
        }
    }

    // ---- the loop --------------------------------------------------------------------------

    /** One loop iteration; returns RESUMED as soon as the main greenlet can go on. */
    private int runOnce(long deadline, boolean mayIdle) {
        dispatching = true;
        try {
            long interval = RuntimeImpl.switchIntervalNanos();
            if (runReady(System.nanoTime() + interval)) {
                // The main greenlet goes on; if it keeps yielding, I/O and timers still get their turn.
                if (System.nanoTime() - lastPoll >= interval) {
                    drainForeign();
                    poll(0);
                }
                return RESUMED;
            }
            drainForeign();
            long timeout;
            if (!ready.isEmpty() || !idlers.isEmpty() || closeRequested) {
                // a greenlet of this hub may have asked to close it: nothing else would wake the poll
                timeout = 0;
            } else {
                Timer next = timers.peek();
                long now = System.nanoTime();
                timeout = next == null ? EventLoop.FOREVER : Math.max(0, next.deadline - now);
                if (timeout == EventLoop.FOREVER && mayIdle && nothingCanWake()) {
                    return main.resumable() ? RESUMED : IDLE;
                }
                if (deadline != NO_DEADLINE) {
                    long left = Math.max(0, deadline - now);
                    timeout = timeout == EventLoop.FOREVER ? left : Math.min(timeout, left);
                }
            }
            if (timeout != 0) {
                if (Thread.interrupted()) {
                    interruptedInLoop = true;
                }
                polling = 1;
                if (!foreign.isEmpty()) {
                    timeout = 0;
                }
            }
            poll(timeout);
            polling = 0;
            drainForeign();
            if (!idlers.isEmpty() && ready.isEmpty()) {
                WaiterImpl<?> w;
                while ((w = idlers.poll()) != null) {
                    w.switchTo(null);
                }
            }
            return CONTINUE;
        } finally {
            dispatching = false;
        }
    }

    /** Polls the event loop, then fires expired timers. */
    private void poll(long timeout) {
        loop.poll(timeout);
        lastPoll = System.nanoTime();
        fireTimers();
    }

    /** @return true if the main greenlet can go on */
    private boolean runReady(long budgetEnd) {
        Runnable r;
        int n = 0;
        while ((r = ready.pollFirst()) != null) {
            if (r == mainYield) {
                mainYield = null;
                r.run();
                return true;
            }
            if (r == MAIN_WAKE) {
                if (main.resumable()) {
                    return true;
                }
                continue;
            }
            try {
                r.run();
            } catch (Throwable e) {
                reportError(r instanceof Callback c ? c.action : r, e);
            }
            if ((++n & 31) == 0 && System.nanoTime() - budgetEnd >= 0) {
                break;
            }
        }
        return false;
    }

    private void fireTimers() {
        if (timers.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Timer t;
        while ((t = timers.pollExpired(now)) != null) {
            try {
                t.fire();
            } catch (Throwable e) {
                reportError(t.context(), e);
            }
        }
    }

    /** True when nothing could ever make a greenlet runnable: the condition of LoopExit. */
    private boolean nothingCanWake() {
        if (!foreign.isEmpty() || !timers.isEmpty() || keepAlive > 0 || loop.pendingOperations() > 0) {
            return false;
        }
        return !sweepAlive();
    }

    /**
     * Forgets the greenlets that ended without telling the hub (virtual threads it adopted).
     *
     * @return true if a greenlet is blocked in a JDK call, whose wake-up comes from another thread
     */
    private boolean sweepAlive() {
        boolean inJdkCall = false;
        for (GreenletImpl<?> g = aliveHead; g != null; ) {
            GreenletImpl<?> next = g.nextAlive;
            if (!g.waiting) {
                if (g.thread.getState() != Thread.State.TERMINATED) {
                    inJdkCall = true;
                } else {
                    aliveRemove(g);
                }
            }
            g = next;
        }
        return inJdkCall;
    }

    /** The main greenlet blocks on {@code w}: runs the loop until it is ready. */
    void runMainUntil(WaiterImpl<?> w) {
        carrierMonitors.inflateHeld();
        main.waiting = true;
        main.waitingFor = w;
        try {
            while (!w.ready() && main.pending == null) {
                if (closeRequested && !closing) {
                    closeNow();
                }
                if (closed) {
                    throw new LoopExit("the hub of " + thread.getName() + " was closed while its main greenlet waited");
                }
                if (runOnce(NO_DEADLINE, true) == IDLE) {
                    throw new LoopExit("This operation would block forever: the main greenlet of " + thread.getName()
                            + " waits, and no greenlet, timer, I/O or other thread can wake it");
                }
            }
        } finally {
            main.waiting = false;
            main.waitingFor = null;
            restoreInterrupt();
        }
    }

    private void restoreInterrupt() {
        if (interruptedInLoop) {
            interruptedInLoop = false;
            thread.interrupt();
        }
    }

    @Override
    public boolean join() {
        return join(null);
    }

    @Override
    public boolean join(Duration timeout) {
        checkTimeout(timeout);
        GreenletBase<?> me = currentStrandForBlocking();
        if (me != main) {
            throw new IllegalStateException("Hub.join() runs the loop until nothing is left to do: call it from "
                    + thread.getName() + " outside any greenlet, not from " + me.name());
        }
        long deadline = timeout == null ? NO_DEADLINE : System.nanoTime() + timeout.toNanos();
        carrierMonitors.inflateHeld();
        main.waiting = true;
        try {
            while (true) {
                if (closeRequested && !closing) {
                    closeNow();
                }
                if (closed) {
                    return true;
                }
                if (deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0) {
                    return false;
                }
                if (runOnce(deadline, true) == IDLE) {
                    return true;
                }
                if (main.pending != null) {
                    throw Throwables.sneaky(main.takePending());
                }
            }
        } finally {
            main.waiting = false;
            restoreInterrupt();
        }
    }

    /** Runs the loop until {@link #close()}: the body of {@link Hub#startThread}. */
    void runUntilClosed() {
        main.waiting = true;
        try {
            while (!closeRequested) {
                runOnce(NO_DEADLINE, false);
                main.pending = null;
            }
        } finally {
            main.waiting = false;
        }
        closeNow();
    }

    void idle() {
        WaiterImpl<Object> w = new WaiterImpl<>(this);
        idlers.addLast(w);
        try {
            w.get();
        } finally {
            idlers.remove(w);
        }
    }

    // ---- keep-alive, timers ----------------------------------------------------------------

    /** Something outside the loop will wake it: no LoopExit meanwhile. Hub thread only. */
    void retain() {
        keepAlive++;
    }

    void release() {
        keepAlive--;
    }

    void schedule(Timer t, Duration delay) {
        timers.add(t, System.nanoTime() + saturatedNanos(delay));
    }

    /** A timer that wakes {@code w} after {@code timeout}. Hub thread only. */
    Timer scheduleWaiter(WaiterImpl<?> w, Duration timeout) {
        Timer t = new Timer.Callback(this, w);
        schedule(t, timeout);
        return t;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    static void checkDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
    }

    static void checkTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
    }

    // ---- running greenlets -----------------------------------------------------------------

    void aliveAdd(GreenletImpl<?> g) {
        g.nextAlive = aliveHead;
        if (aliveHead != null) {
            aliveHead.prevAlive = g;
        }
        aliveHead = g;
        aliveCount++;
    }

    void aliveRemove(GreenletImpl<?> g) {
        if (g.prevAlive != null) {
            g.prevAlive.nextAlive = g.nextAlive;
        } else if (aliveHead == g) {
            aliveHead = g.nextAlive;
        } else {
            return;
        }
        if (g.nextAlive != null) {
            g.nextAlive.prevAlive = g.prevAlive;
        }
        g.prevAlive = null;
        g.nextAlive = null;
        aliveCount--;
    }

    // ---- Hub -------------------------------------------------------------------------------

    @Override
    public String loopName() {
        return loopName;
    }

    @Override
    public Thread thread() {
        return thread;
    }

    @Override
    public Cancellable callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callSoon: the callback must not be null");
        checkHubThread("callSoon");
        Callback c = new Callback(callback);
        ready.addLast(c);
        return c;
    }

    @Override
    public Cancellable callLater(Duration delay, Runnable callback) {
        checkDelay(delay);
        Objects.requireNonNull(callback, "callLater: the callback must not be null");
        checkHubThread("callLater");
        Timer t = new Timer.Callback(this, callback);
        schedule(t, delay);
        return t;
    }

    @Override
    public void callThreadSafe(Runnable callback) {
        Objects.requireNonNull(callback, "callThreadSafe: the callback must not be null");
        if (closed) {
            throw new IllegalStateException("the hub of " + thread.getName() + " is closed");
        }
        post(callback);
    }

    @Override
    public <T> Waiter<T> newWaiter() {
        return new WaiterImpl<>(this);
    }

    @Override
    public <T> Greenlet<T> spawn(Callable<? extends T> fn) {
        GreenletImpl<T> g = GreenletImpl.of(this, fn);
        g.start();
        return g;
    }

    @Override
    public Greenlet<Void> spawn(ThrowingRunnable fn) {
        GreenletImpl<Void> g = GreenletImpl.of(this, fn);
        g.start();
        return g;
    }

    /** Starts a raw greenlet: no result, no links. */
    Thread spawnRaw(ThrowingRunnable fn) {
        Objects.requireNonNull(fn, "spawnRaw: the function must not be null");
        checkOpen();
        Thread t = GreenletImpl.raw(this, () -> {
            try {
                fn.run();
            } catch (Exception e) {
                throw Throwables.sneaky(e);
            }
        }).thread;
        t.start();
        return t;
    }

    @Override
    public ThreadFactory threadFactory() {
        return task -> {
            checkOpen();
            return GreenletImpl.raw(this, task).thread;
        };
    }

    @Override
    public ExecutorService executor() {
        return new HubExecutorService(this);
    }

    @Override
    public int greenletCount() {
        if (isHubThread()) {
            sweepAlive();
        }
        return aliveCount;
    }

    @Override
    public void setErrorHandler(BiConsumer<Object, Throwable> handler) {
        errorHandler = handler;
    }

    /** Reports a failed greenlet or callback: to the error handler, else to stderr. Hub thread. */
    void reportError(Object context, Throwable error) {
        BiConsumer<Object, Throwable> h = errorHandler;
        if (h != null) {
            try {
                h.accept(context, error);
                return;
            } catch (Throwable e) {
                System.err.println("gevent: the error handler of the hub of " + thread.getName() + " threw:");
                e.printStackTrace();
            }
        }
        System.err.println(context + " failed with " + error.getClass().getName());
        error.printStackTrace();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() == thread && !dispatching) {
            closeNow();
            return;
        }
        closeRequested = true;
        if (!isHubThread()) {
            post(() -> { });
            loop.wakeup();
            if (thread instanceof HubThread && thread != Thread.currentThread()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Kills what is left, lets it clean up, closes the loop. Main greenlet only. */
    private void closeNow() {
        if (closed || closing) {
            return;
        }
        closing = true;
        carrierMonitors.inflateHeld();
        try {
            for (GreenletImpl<?> g = aliveHead; g != null; g = g.nextAlive) {
                g.deliver(new GreenletExit("the hub was closed"));
            }
            long deadline = System.nanoTime() + CLOSE_GRACE_NANOS;
            main.waiting = true;
            while ((aliveCount > 0 || !ready.isEmpty() || !foreign.isEmpty()) && System.nanoTime() - deadline < 0) {
                if (runOnce(deadline, true) == IDLE) {
                    break;
                }
                main.pending = null;
            }
            main.waiting = false;
            if (aliveCount > 0) {
                System.err.println("gevent: the hub of " + thread.getName() + " closed with " + aliveCount
                        + " greenlet(s) that did not die when killed");
            }
        } finally {
            closeResources();
            closed = true;
            loop.close();
            HubRegistry.remove(this);
            RuntimeImpl.forget(this);
        }
    }

    /** The hub's singleton for {@code key}, made by {@code factory} on first use. Hub thread only. */
    <T> T resource(Class<T> key, Supplier<? extends T> factory) {
        checkHubThread("a hub resource");
        checkOpen();
        if (resources == null) {
            resources = new LinkedHashMap<>();
        }
        return key.cast(resources.computeIfAbsent(key, k -> factory.get()));
    }

    private void closeResources() {
        if (resources == null) {
            return;
        }
        for (Object r : resources.values()) {
            if (r instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Throwable e) {
                    reportError(r, e);
                }
            }
        }
        resources = null;
    }

    boolean isClosed() {
        return closed;
    }

    // ---- what other threads may read, for diagnostics (the monitor, greenlet dumps) ----------
    // Racy by design: plain fields of the hub thread, read from another thread, give a recent
    // snapshot; the hub pays nothing for being watched.

    /** @return when the loop last polled (System.nanoTime), as last written */
    long loopStamp() {
        return (long) LAST_POLL.getOpaque(this);
    }

    /** @return true while the loop waits in its poll for I/O, timers or a wake-up: idle, not blocked */
    boolean isPollingIdle() {
        return polling == 1;
    }

    /** @return true while the hub thread runs callbacks or greenlets rather than its main greenlet's own code */
    boolean isDispatching() {
        return dispatching;
    }

    /** @return true if the hub has running greenlets */
    boolean hasGreenlets() {
        return aliveHead != null;
    }

    /** @return the greenlet mounted on the hub's thread now, or null */
    GreenletImpl<?> mountedGreenlet() {
        for (GreenletImpl<?> g = aliveHead; g != null; g = g.nextAlive) {
            Thread t = g.thread;
            if (t != null && VirtualThreads.carrierOf(t) == thread) {
                return g;
            }
        }
        return null;
    }

    /** @return true if a virtual thread that is not a known greenlet runs on the hub's thread now */
    boolean isRunningUnknownVirtualThread() {
        for (StackTraceElement e : thread.getStackTrace()) {
            if (e.getClassName().equals("java.lang.VirtualThread") && e.getMethodName().equals("runContinuation")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the hub's running greenlets, newest first. The list only ever links a greenlet to
     *     older ones, so a walk from another thread ends; it may miss a greenlet spawned meanwhile.
     */
    java.util.List<GreenletImpl<?>> greenletsSnapshot() {
        java.util.List<GreenletImpl<?>> all = new java.util.ArrayList<>();
        for (GreenletImpl<?> g = aliveHead; g != null; g = g.nextAlive) {
            all.add(g);
        }
        return all;
    }

    /** @return the socket operations of this hub's loop. Hub thread only. */
    Transport transport() {
        checkOpen();
        return loop.transport();
    }

    @Override
    public String toString() {
        return "Hub[" + thread.getName() + ", loop=" + loopName + (closed ? ", closed" : "") + "]";
    }

    /** A {@code callSoon} callback that can be withdrawn. */
    private static final class Callback implements Runnable, Cancellable {
        final Runnable action;
        private boolean done;

        Callback(Runnable action) {
            this.action = action;
        }

        @Override
        public void run() {
            if (!done) {
                done = true;
                action.run();
            }
        }

        @Override
        public boolean cancel() {
            boolean pending = !done;
            done = true;
            return pending;
        }

        @Override
        public String toString() {
            return "callSoon(" + action + ")";
        }
    }

    /** The platform thread of {@link Hub#startThread}. */
    static final class HubThread extends Thread {
        HubThread(String name, Runnable body) {
            super(body, name);
        }
    }
}
