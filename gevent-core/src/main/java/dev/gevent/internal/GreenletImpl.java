package dev.gevent.internal;

import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.ThrowingRunnable;
import dev.gevent.Timeout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A greenlet: a virtual thread whose scheduler is its hub (gevent: {@code Greenlet}). Its
 * lifecycle is NEW, SCHEDULED (start called), RUNNING (its function began), DEAD. The state may be
 * read from any thread; everything else changes on the hub thread, calls from other threads are
 * passed to the hub.
 */
final class GreenletImpl<T> extends GreenletBase<T> implements Runnable {
    static final ThreadLocal<GreenletImpl<?>> CURRENT = new ThreadLocal<>();

    private static final int NEW = 0;
    private static final int SCHEDULED = 1;
    private static final int RUNNING = 2;
    private static final int DEAD = 3;
    private static final VarHandle STATE;
    /** Event instances only carry data: these two answer isEnabled() without an allocation per greenlet. */
    private static final GreenletSpawnEvent SPAWN_PROBE = new GreenletSpawnEvent();
    private static final GreenletExitEvent EXIT_PROBE = new GreenletExitEvent();

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(GreenletImpl.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;
    private final Callable<? extends T> fn;
    private final Object function;
    /** A raw greenlet (spawnRaw, threadFactory, executor) keeps no result and has no links. */
    private final boolean raw;
    private final long id;
    /** The greenlet that spawned this one (its id), or 0 when a platform thread did: see {@link #spawnedByThread}. */
    private final long spawnedById;
    /** The platform thread that spawned this one, when no greenlet did. */
    private final Thread spawnedByThread;
    Thread thread;
    private T value;
    private Throwable exception;
    private Timer startTimer;
    /** start() or startLater() was called. */
    private volatile boolean startRequested;
    /** Set when the hub interrupted a JDK call to deliver {@link #pending}. */
    private boolean interruptedByHub;
    private ArrayDeque<Object> links;
    private boolean notifying;
    /** The hub's list of running greenlets. */
    GreenletImpl<?> prevAlive;
    GreenletImpl<?> nextAlive;

    private GreenletImpl(HubImpl hub, Callable<? extends T> fn, Object function, boolean raw) {
        super(hub);
        this.fn = fn;
        this.function = function;
        this.raw = raw;
        this.id = HubImpl.nextGreenletId();
        Thread spawner = Thread.currentThread();
        GreenletImpl<?> parent = spawner.isVirtual() ? CURRENT.get() : null;
        this.spawnedById = parent != null ? parent.id : 0;
        this.spawnedByThread = parent != null ? null : spawner;
        if (SPAWN_PROBE.isEnabled()) {
            GreenletSpawnEvent e = new GreenletSpawnEvent();
            e.greenlet = name();
            e.spawnedBy = spawnedBy();
            e.hub = hub.thread.getName();
            e.function = String.valueOf(function);
            e.commit();
        }
    }

    static <T> GreenletImpl<T> of(HubImpl hub, Callable<? extends T> fn) {
        Objects.requireNonNull(fn, "spawn: the function must not be null");
        return new GreenletImpl<>(hub, fn, fn, false);
    }

    static GreenletImpl<Void> of(HubImpl hub, ThrowingRunnable fn) {
        Objects.requireNonNull(fn, "spawn: the function must not be null");
        return new GreenletImpl<>(hub, () -> {
            fn.run();
            return null;
        }, fn, false);
    }

    /** A raw greenlet whose thread is created now and started by the caller. */
    static GreenletImpl<Void> raw(HubImpl hub, Runnable task) {
        Objects.requireNonNull(task, "task must not be null");
        GreenletImpl<Void> g = new GreenletImpl<>(hub, () -> {
            task.run();
            return null;
        }, task, true);
        g.state = SCHEDULED;
        g.thread = hub.newThread(g);
        return g;
    }

    /** A raw greenlet for a virtual thread of the hub that it did not create (an inherited scheduler). */
    static GreenletImpl<Void> adopt(HubImpl hub, Thread t) {
        GreenletImpl<Void> g = new GreenletImpl<>(hub, () -> null, t, true);
        g.state = RUNNING;
        g.thread = t;
        CURRENT.set(g);
        hub.aliveAdd(g);
        return g;
    }

    // ---- lifecycle -------------------------------------------------------------------------

    @Override
    public void start() {
        if (STATE.compareAndSet(this, NEW, SCHEDULED)) {
            startRequested = true;
            launch();
        }
    }

    @Override
    public void startLater(Duration delay) {
        HubImpl.checkDelay(delay);
        if (STATE.compareAndSet(this, NEW, SCHEDULED)) {
            startRequested = true;
            hub.onHub(() -> {
                if (state == SCHEDULED) {
                    startTimer = new Timer(hub) {
                        @Override
                        void fire() {
                            startTimer = null;
                            if (state == SCHEDULED) {
                                launch();
                            }
                        }
                    };
                    hub.schedule(startTimer, delay);
                }
            });
        }
    }

    private void launch() {
        hub.checkOpen();
        Thread t = hub.newThread(this);
        thread = t;
        t.start();
    }

    /** The body of the greenlet's virtual thread. */
    @Override
    public void run() {
        CURRENT.set(this);
        if (!STATE.compareAndSet(this, SCHEDULED, RUNNING)) {
            return;
        }
        hub.aliveAdd(this);
        T result = null;
        Throwable failure = null;
        try {
            if (hub.closing) {
                throw new GreenletExit("the hub was closed before this greenlet ran");
            }
            result = fn.call();
        } catch (Throwable e) {
            failure = e;
        }
        // A kill or Timeout that interrupted a JDK call surfaces as that call's exception.
        if (failure != null && pending != null) {
            failure = pending;
        }
        hub.aliveRemove(this);
        die(result, failure);
    }

    private void die(T result, Throwable failure) {
        pending = null;
        if (failure == null) {
            value = raw ? null : result;
        } else if (!(failure instanceof GreenletExit)) {
            exception = failure;
        }
        state = DEAD;
        if (EXIT_PROBE.isEnabled()) {
            GreenletExitEvent e = new GreenletExitEvent();
            e.greenlet = name();
            e.hub = hub.thread.getName();
            e.outcome = failure == null ? "successful" : failure instanceof GreenletExit ? "killed" : failure.getClass().getName();
            e.commit();
        }
        if (failure != null && !(failure instanceof GreenletExit)) {
            hub.reportError(this, failure);
        }
        if (links != null && !links.isEmpty()) {
            scheduleNotify();
        }
    }

    @Override
    void deliver(Throwable e) {
        int s = state;
        if (s == DEAD) {
            return;
        }
        if (s != RUNNING) {
            // Claim it before its thread runs: the thread then finds it not SCHEDULED and returns.
            if (STATE.compareAndSet(this, s, RUNNING)) {
                if (startTimer != null) {
                    startTimer.cancel();
                    startTimer = null;
                }
                die(null, e);
            }
            return;
        }
        if (pending == null) {
            pending = e;
        }
        if (waiting) {
            LockSupport.unpark(thread);
        } else if (thread != Thread.currentThread()) {
            Thread.State ts = thread.getState();
            if (ts == Thread.State.WAITING || ts == Thread.State.TIMED_WAITING || ts == Thread.State.BLOCKED) {
                interruptedByHub = true;
                thread.interrupt();
            }
        }
    }

    @Override
    Throwable takePending() {
        if (interruptedByHub) {
            interruptedByHub = false;
            Thread.interrupted();
        }
        return super.takePending();
    }

    @Override
    void withdraw(Throwable e) {
        if (pending == e) {
            pending = null;
            if (interruptedByHub && Thread.currentThread() == thread) {
                interruptedByHub = false;
                Thread.interrupted();
            }
        }
    }

    // ---- blocking --------------------------------------------------------------------------

    @Override
    void await(WaiterImpl<?> w) {
        if (pending != null) {
            throw Throwables.sneaky(takePending());
        }
        if (w.ready()) {
            return;
        }
        boolean interrupted = false;
        waiting = true;
        try {
            do {
                LockSupport.park(w);
                if (pending != null) {
                    throw Throwables.sneaky(takePending());
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            } while (!w.ready());
        } finally {
            waiting = false;
            if (interrupted) {
                thread.interrupt();
            }
        }
    }

    @Override
    void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    void yieldNow() {
        if (pending != null) {
            throw Throwables.sneaky(takePending());
        }
        Thread.yield();
        if (pending != null) {
            throw Throwables.sneaky(takePending());
        }
    }

    // ---- queries ---------------------------------------------------------------------------

    @Override
    public String name() {
        return "Greenlet-" + id;
    }

    @Override
    public boolean started() {
        return startRequested || raw;
    }

    /** @return who spawned it: a greenlet's name, a hub's main greenlet, or a thread */
    String spawnedBy() {
        if (spawnedByThread == null) {
            return "Greenlet-" + spawnedById;
        }
        if (spawnedByThread == hub.thread) {
            return hub.main.name();
        }
        return spawnedByThread.isVirtual() ? spawnedByThread.toString() : "thread " + spawnedByThread.getName();
    }

    @Override
    public boolean ready() {
        return state == DEAD;
    }

    @Override
    public boolean dead() {
        return state == DEAD;
    }

    @Override
    public boolean successful() {
        return state == DEAD && exception == null;
    }

    @Override
    public T value() {
        return state == DEAD ? value : null;
    }

    @Override
    public Throwable exception() {
        return state == DEAD ? exception : null;
    }

    // ---- waiting for it --------------------------------------------------------------------

    @Override
    public T get() {
        join();
        return result();
    }

    @Override
    public T get(Duration timeout) {
        if (!join(timeout)) {
            throw new Timeout(timeout);
        }
        return result();
    }

    @Override
    public T getNow() {
        if (!dead()) {
            throw new Timeout(Duration.ZERO);
        }
        return result();
    }

    private T result() {
        if (exception != null) {
            throw Throwables.rethrow(exception);
        }
        return value;
    }

    @Override
    public void join() {
        join(null);
    }

    @Override
    public boolean join(Duration timeout) {
        HubImpl.checkTimeout(timeout);
        if (dead()) {
            return true;
        }
        GreenletBase<?> me = RuntimeImpl.blockingStrand();
        if (me == this) {
            throw new IllegalStateException(name() + " cannot wait for itself: it would block forever");
        }
        WaiterImpl<Object> w = new WaiterImpl<>(me.hub);
        Timer timer = timeout == null ? null : me.hub.scheduleWaiter(w, timeout);
        boolean foreign = me.hub != hub;
        if (foreign) {
            // the wake-up comes from another hub: no LoopExit for the waiting one meanwhile
            me.hub.retain();
        }
        rawlink(w);
        try {
            w.get();
        } finally {
            if (foreign) {
                me.hub.release();
            }
            unlink(w);
            if (timer != null) {
                timer.cancel();
            }
        }
        return dead();
    }

    // ---- kill ------------------------------------------------------------------------------

    @Override
    public void kill() {
        kill(new GreenletExit());
    }

    @Override
    public void kill(Throwable exception) {
        kill(exception, null);
    }

    @Override
    public boolean kill(Throwable exception, Duration timeout) {
        Objects.requireNonNull(exception, "kill: the exception must not be null");
        HubImpl.checkTimeout(timeout);
        if (dead()) {
            return true;
        }
        if (Thread.currentThread() == thread) {
            throw Throwables.sneaky(exception);
        }
        killAsync(exception);
        return join(timeout);
    }

    @Override
    public void killAsync(Throwable exception) {
        Objects.requireNonNull(exception, "kill: the exception must not be null");
        if (state != DEAD) {
            hub.onHub(() -> deliver(exception));
        }
    }

    // ---- links -----------------------------------------------------------------------------

    /** A link that runs {@link #callback} in a new greenlet when the outcome matches. */
    private record SpawnedLink(Consumer<?> callback, int when) {
        static final int ALWAYS = 0;
        static final int VALUE = 1;
        static final int EXCEPTION = 2;
    }

    /** A rawlink registered from another hub: its callback runs in that hub. */
    private record ForeignLink(Runnable callback, HubImpl target) {
    }

    @Override
    public void rawlink(Runnable callback) {
        Objects.requireNonNull(callback, "rawlink: the callback must not be null");
        checkLinkable();
        if (hub.isHubThread()) {
            addLink(callback);
        } else {
            HubImpl caller = RuntimeImpl.hubOfCurrentThread();
            hub.onHub(() -> addLink(new ForeignLink(callback, caller)));
        }
    }

    @Override
    public void unlink(Runnable callback) {
        if (callback != null) {
            hub.onHub(() -> removeLink(callback));
        }
    }

    @Override
    public void link(Consumer<? super Greenlet<T>> callback) {
        addSpawnedLink(callback, SpawnedLink.ALWAYS);
    }

    @Override
    public void linkValue(Consumer<? super Greenlet<T>> callback) {
        addSpawnedLink(callback, SpawnedLink.VALUE);
    }

    @Override
    public void linkException(Consumer<? super Greenlet<T>> callback) {
        addSpawnedLink(callback, SpawnedLink.EXCEPTION);
    }

    @Override
    public void unlink(Consumer<? super Greenlet<T>> callback) {
        if (callback != null) {
            hub.onHub(() -> removeLink(callback));
        }
    }

    private void addSpawnedLink(Consumer<? super Greenlet<T>> callback, int when) {
        Objects.requireNonNull(callback, "link: the callback must not be null");
        checkLinkable();
        SpawnedLink link = new SpawnedLink(callback, when);
        hub.onHub(() -> addLink(link));
    }

    private void checkLinkable() {
        if (raw) {
            throw new UnsupportedOperationException(name() + " is a raw greenlet: it has no links");
        }
    }

    private void addLink(Object link) {
        if (links == null) {
            links = new ArrayDeque<>(2);
        }
        links.addLast(link);
        if (state == DEAD) {
            scheduleNotify();
        }
    }

    private void removeLink(Object callback) {
        if (links == null) {
            return;
        }
        links.removeIf(l -> l == callback || l.equals(callback)
                || (l instanceof SpawnedLink s && s.callback().equals(callback))
                || (l instanceof ForeignLink f && f.callback().equals(callback)));
    }

    private void scheduleNotify() {
        if (!notifying) {
            notifying = true;
            hub.enqueue(this::notifyLinks);
        }
    }

    /** Runs the links in the order added; one removed meanwhile does not run. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void notifyLinks() {
        notifying = false;
        Object link;
        while ((link = links.pollFirst()) != null) {
            switch (link) {
                case SpawnedLink s -> {
                    boolean ok = exception == null;
                    if (s.when() == SpawnedLink.ALWAYS || (s.when() == SpawnedLink.VALUE) == ok) {
                        Consumer c = s.callback();
                        GreenletImpl.raw(hub, () -> c.accept(this)).thread.start();
                    }
                }
                case ForeignLink f -> f.target().post(f.callback());
                case Runnable r -> {
                    try {
                        r.run();
                    } catch (Throwable e) {
                        hub.reportError(r, e);
                    }
                }
                default -> throw new IllegalStateException("unknown link " + link);
            }
        }
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case NEW -> "new";
            case SCHEDULED -> "scheduled";
            case RUNNING -> "running";
            default -> exception != null ? "failed with " + exception.getClass().getName() : "dead";
        };
        return name() + " [" + function + ", " + s + "]";
    }
}
