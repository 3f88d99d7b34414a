package dev.gevent.pool;

import dev.gevent.Cancellable;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Hub;
import dev.gevent.ThrowingFunction;
import dev.gevent.ThrowingRunnable;
import dev.gevent.Timeout;
import dev.gevent.Waiter;
import dev.gevent.internal.HubRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * A set of greenlets that leave it when they die (gevent: {@code gevent.pool.Group}). It can
 * spawn into itself, wait until it is empty ({@link #join}), kill what it holds ({@link #kill}),
 * and apply a function to many items, each in a greenlet of the group ({@link #map},
 * {@link #imap}, {@link #imapUnordered}). It is also a structured scope: {@link #close()} kills
 * what is still running and waits for it, so that
 * {@code try (var group = new Group()) { ... }} leaves no greenlet behind.
 *
 * <p><b>Membership.</b> A greenlet is a member from {@link #add} (or a spawn) until it dies or is
 * {@link #discard discarded}; death is noticed through a link, so it leaves the group in the hub
 * callback that follows its death, before anything that waits for that death resumes. Adding a
 * member again is a no-op. Iteration sees a snapshot of the members in the order they were added.
 *
 * <p><b>Blocking.</b> {@link #join}, {@link #kill}, {@link #killone}, {@link #apply}, {@link #map},
 * {@link #close()} and the iterators of {@code imap} block the calling greenlet (on the hub thread
 * outside any greenlet they run the loop meanwhile). A plain group never blocks in a spawn or an
 * add; a {@link Pool} does while it is full.
 *
 * <p><b>Ordering.</b> Greenlets spawned a, b, c start a, b, c. {@code map} returns its values in
 * input order, {@code imap} hands them out in input order, {@code imapUnordered} as they finish.
 *
 * <p><b>Threads.</b> Like gevent's, a group belongs to one hub: the hub of the thread that first
 * uses it. It is used from that hub's thread only (its greenlets, the hub thread itself, the
 * hub's callbacks for what does not block); a call from any other thread throws
 * {@link IllegalStateException}. {@link #size()} alone may be read from any thread (a snapshot).
 *
 * <p><b>Exceptions.</b> Where a method raises a greenlet's exception ({@link #apply}, {@link #map},
 * the imap iterators, {@link #join(Duration, boolean)}) it follows the rule of
 * {@link Greenlet#get()}: the same instance for a {@link RuntimeException} or an {@link Error}, a
 * checked exception wrapped in {@link CompletionException}.
 */
public class Group implements Iterable<Greenlet<?>>, AutoCloseable {
    private final MemberTable members = new MemberTable();
    /** The members in the order they were added: iteration and kills follow it. */
    private Member head;
    private Member tail;
    /** The number of members; volatile so that {@link #size()} may be read from any thread. */
    private volatile int count;
    private final ArrayList<Joiner> joiners = new ArrayList<>(2);
    private HubRef hubRef;
    private Hub hub;
    private boolean closed;

    /** Creates an empty group; it belongs to the hub of the thread that first uses it. */
    public Group() {
    }

    // ---- membership ----------------------------------------------------------------------

    /**
     * Adds {@code g} to the group until it dies or is discarded (gevent: {@code Group.add}); a no-op
     * if it is a member already. Adding does not start it.
     *
     * @param g the greenlet, of any hub
     * @throws IllegalStateException if the group is closed, or called from another hub's thread
     * @throws UnsupportedOperationException for a greenlet that cannot be linked (a main greenlet,
     *     a raw one)
     */
    public void add(Greenlet<?> g) {
        tryAdd(g, null);
    }

    /**
     * Adds {@code g}, then starts it (gevent: {@code Group.start}).
     *
     * @param g the greenlet
     * @throws IllegalStateException if the group is closed, or called from another hub's thread
     */
    public void start(Greenlet<?> g) {
        add(g);
        g.start();
    }

    /**
     * Takes {@code g} out of the group without touching it: it keeps running, and {@link #join}
     * and {@link #kill} no longer see it. A no-op if it is not a member.
     *
     * @param g the greenlet
     */
    public void discard(Greenlet<?> g) {
        hub();
        Member m = members.get(g);
        if (m == null) {
            return;
        }
        leave(m);
        if (!m.watchesDeath()) {
            g.unlink(m);
        }
        released();
        if (idle()) {
            wakeJoiners();
        }
    }

    /**
     * @param g a greenlet
     * @return true if it is a member
     */
    public boolean contains(Greenlet<?> g) {
        hub();
        return isMember(g);
    }

    /** @return the number of members; may be called from any thread (then it is a snapshot) */
    public int size() {
        return count;
    }

    /** @return an iterator over a snapshot of the members, in the order they were added */
    @Override
    public Iterator<Greenlet<?>> iterator() {
        hub();
        List<Greenlet<?>> snapshot = new ArrayList<>(count);
        for (Member m = head; m != null; m = m.next) {
            snapshot.add(m.greenlet);
        }
        return Collections.unmodifiableList(snapshot).iterator();
    }

    // ---- spawning --------------------------------------------------------------------------

    /**
     * Creates a greenlet running {@code fn}, adds it and starts it (gevent: {@code Group.spawn}).
     * A {@link Pool} blocks the caller while it is full.
     *
     * @param fn the function
     * @param <T> its result type
     * @return the started greenlet
     * @throws IllegalStateException if the group is closed, or called from another hub's thread
     */
    public <T> Greenlet<T> spawn(Callable<? extends T> fn) {
        hub();
        return launch(Greenlet.of(fn));
    }

    /**
     * Like {@link #spawn(Callable)} for a task without a value.
     *
     * @param fn the task
     * @return the started greenlet
     * @throws IllegalStateException if the group is closed, or called from another hub's thread
     */
    public Greenlet<Void> spawn(ThrowingRunnable fn) {
        hub();
        return launch(Greenlet.of(fn));
    }

    /** Adds the new greenlet {@code g} once there is room, and starts it. */
    private <T> Greenlet<T> launch(Greenlet<T> g) {
        reserve(null, null);
        admit(new Member(this, g));
        g.start();
        return g;
    }

    // ---- waiting ---------------------------------------------------------------------------

    /**
     * Blocks the calling greenlet until the group is empty, greenlets added meanwhile included
     * (gevent: {@code Group.join}).
     *
     * @return true
     */
    public boolean join() {
        return join(null, false);
    }

    /**
     * Blocks the calling greenlet until the group is empty or {@code timeout} elapsed.
     *
     * @param timeout how long to wait; null = forever
     * @return true if the group became empty, false if the time elapsed first
     */
    public boolean join(Duration timeout) {
        return join(timeout, false);
    }

    /**
     * Blocks the calling greenlet until the group is empty or {@code timeout} elapsed. With
     * {@code raiseError}, as in gevent, the wait still runs to its end; then the exception of the
     * first member that failed while it waited is raised (a {@link GreenletExit} is no failure).
     *
     * @param timeout how long to wait; null = forever
     * @param raiseError whether to raise a member's failure
     * @return true if the group became empty, false if the time elapsed first
     * @throws RuntimeException or {@link Error}: the failure, as it is
     * @throws CompletionException wrapping a checked failure
     */
    public boolean join(Duration timeout, boolean raiseError) {
        Hub h = hub();
        checkTimeout(timeout);
        if (idle()) {
            return true;
        }
        Joiner j = new Joiner(h.newWaiter(), raiseError);
        joiners.add(j);
        Cancellable timer = timeout == null ? null : h.callLater(timeout, j);
        try {
            j.waiter.get();
        } finally {
            joiners.remove(j);
            if (timer != null) {
                timer.cancel();
            }
        }
        if (j.failure != null) {
            throw rethrow(j.failure);
        }
        return j.emptied;
    }

    // ---- killing ---------------------------------------------------------------------------

    /** Raises a {@link GreenletExit} in every member and blocks until they are dead (gevent: {@code Group.kill}). */
    public void kill() {
        kill(new GreenletExit(), true, null);
    }

    /**
     * Raises {@code exception} in every member, in the order they were added; with {@code block},
     * waits until they are dead, and then kills, in further rounds, members added meanwhile,
     * until the group is empty. Each greenlet gets the exception once per call.
     *
     * @param exception what to raise
     * @param block whether to wait
     * @param timeout how long to wait in all; null = forever
     * @throws Timeout if {@code block} and the group is not empty in time
     */
    public void kill(Throwable exception, boolean block, Duration timeout) {
        hub();
        Objects.requireNonNull(exception, "kill: the exception must not be null");
        checkTimeout(timeout);
        long deadline = timeout == null ? 0 : System.nanoTime() + saturatedNanos(timeout);
        Set<Greenlet<?>> killed = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!idle()) {
            List<Greenlet<?>> round = new ArrayList<>(count);
            collect(round);
            for (Greenlet<?> g : round) {
                if (killed.add(g)) {
                    g.killAsync(exception);
                }
            }
            if (!block) {
                return;
            }
            Duration left = timeout == null ? null : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (Gevent.wait(round, left, 0).size() < round.size()) {
                throw new Timeout(timeout);
            }
        }
    }

    /**
     * Raises a {@link GreenletExit} in {@code g} and blocks until it is dead, if it is a member
     * (gevent: {@code Group.killone}); a no-op otherwise. Once it returns, {@code g} is no longer a member.
     *
     * @param g the greenlet
     */
    public void killone(Greenlet<?> g) {
        hub();
        if (isMember(g) || isQueued(g)) {
            g.kill();
        }
    }

    // ---- applying --------------------------------------------------------------------------

    /**
     * Runs {@code fn} in a new greenlet of the group and waits for its value (gevent:
     * {@code Group.apply}). Called from a member of the group, it runs {@code fn} in the caller,
     * as gevent does: a full pool could otherwise never make room for it.
     *
     * @param fn the function
     * @param <T> its result type
     * @return what {@code fn} returned
     * @throws RuntimeException or {@link Error}: what {@code fn} threw, as it is
     * @throws CompletionException wrapping a checked exception {@code fn} threw
     */
    public <T> T apply(Callable<T> fn) {
        Objects.requireNonNull(fn, "apply: the function must not be null");
        hub();
        if (callerIsMember()) {
            try {
                return fn.call();
            } catch (Exception e) {
                throw rethrow(e);
            }
        }
        return spawn(fn).get();
    }

    /**
     * Runs {@code fn} in a greenlet of the group without waiting for it (gevent:
     * {@code Group.apply_async}); it never blocks.
     *
     * @param fn the function
     * @param <T> its result type
     * @return the greenlet running {@code fn}
     * @throws IllegalStateException if the group is closed, or called from another hub's thread
     */
    public <T> Greenlet<T> applyAsync(Callable<? extends T> fn) {
        return spawn(fn);
    }

    /**
     * Applies {@code fn} to every item, each in a greenlet of the group, and returns the values in
     * input order (gevent: {@code Group.map}). A plain group spawns every item at once; a
     * {@link Pool} spawns as it has room. The first failure stops it: no further item is spawned,
     * the greenlets of this call still running are killed and waited for, and the failure is
     * raised. If the caller itself is killed or times out meanwhile, the greenlets of this call
     * are killed without waiting. An item whose greenlet someone else kills (a
     * {@link GreenletExit}) gets the value null. Called from a member of the group, it applies
     * {@code fn} in the caller, one item after the other, as gevent does.
     *
     * @param fn the function
     * @param items the items, iterated once
     * @param <A> the item type
     * @param <R> the result type
     * @return the values, a fixed-size list in input order
     * @throws RuntimeException or {@link Error}: the first failure, as it is
     * @throws CompletionException wrapping a checked failure
     */
    public <A, R> List<R> map(ThrowingFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Objects.requireNonNull(fn, "map: the function must not be null");
        Objects.requireNonNull(items, "map: the items must not be null");
        hub();
        if (callerIsMember()) {
            List<R> values = new ArrayList<>();
            new InlineMap<A, R>(fn, items.iterator()).forEachRemaining(values::add);
            return values;
        }
        return new MapCall<A, R>(this, fn).run(items);
    }

    /**
     * Like {@link #map}, lazily: an iterator whose {@code hasNext()} and {@code next()} block the
     * calling greenlet until the next value, in input order, is ready (gevent: {@code Group.imap}).
     * Nothing runs before the first {@code hasNext()}. A {@link Pool} keeps at most its size of
     * items spawned and not yet handed out, and pulls the next item from {@code items} only when it
     * hands one out; a plain group spawns every item at the first {@code hasNext()}. A failure is
     * raised by {@code next()} at its turn, after which the greenlets of this call still running
     * are killed and the iterator ends. Called from a member of the group, it applies {@code fn}
     * in the caller, one item per {@code next()}.
     *
     * @param fn the function
     * @param items the items
     * @param <A> the item type
     * @param <R> the result type
     * @return the values, in input order; hub thread only
     */
    public <A, R> Iterator<R> imap(ThrowingFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return imap(fn, items, true);
    }

    /**
     * Like {@link #imap}, handing values out in the order their greenlets finish (gevent:
     * {@code Group.imap_unordered}).
     *
     * @param fn the function
     * @param items the items
     * @param <A> the item type
     * @param <R> the result type
     * @return the values, as they are ready; hub thread only
     */
    public <A, R> Iterator<R> imapUnordered(ThrowingFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return imap(fn, items, false);
    }

    private <A, R> Iterator<R> imap(ThrowingFunction<? super A, ? extends R> fn, Iterable<? extends A> items, boolean ordered) {
        Objects.requireNonNull(fn, "imap: the function must not be null");
        Objects.requireNonNull(items, "imap: the items must not be null");
        hub();
        if (callerIsMember()) {
            return new InlineMap<>(fn, items.iterator());
        }
        return new IMap<>(this, fn, items.iterator(), ordered, window());
    }

    // ---- scope -----------------------------------------------------------------------------

    /**
     * Ends the group as a scope: it takes no new greenlets (spawn and add throw
     * {@link IllegalStateException}), and what it still holds is killed with a
     * {@link GreenletExit} and waited for, as {@link #kill()} does. Idempotent. Once the hub is
     * closed there is nothing left to kill, and this only marks the group closed.
     */
    @Override
    public void close() {
        HubRef ref = hubRef;
        if (ref != null && ref.isClosed()) {
            closed = true;
            return;
        }
        hub();
        closed = true;
        kill();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[size=" + count + (closed ? ", closed" : "") + "]";
    }

    // ---- what Pool refines -------------------------------------------------------------------

    /**
     * Reserves room for one member, blocking while there is none ({@link Pool}); {@code caller},
     * if given, may be woken out of that wait without room.
     *
     * @param timeout how long to wait; null = forever
     * @return true if room was reserved; false if the time elapsed or {@code caller} was woken
     */
    boolean reserve(Duration timeout, Parked caller) {
        checkOpen();
        return true;
    }

    /** Gives back room reserved and not used. */
    void unreserve() {
    }

    /** A member took the room reserved for it. */
    void admitted() {
    }

    /** A member left: its room is free. */
    void released() {
    }

    /** @return how many greenlets wait, not started, for room ({@link Pool#applyAsync}) */
    int queued() {
        return 0;
    }

    /** @return true if {@code g} waits, not started, for room */
    boolean isQueued(Greenlet<?> g) {
        return false;
    }

    /** A greenlet that waited for room died first. */
    void dequeue(Member m) {
    }

    /** Adds every member, then every greenlet that waits for room, to {@code out}. */
    void collect(List<Greenlet<?>> out) {
        for (Member m = head; m != null; m = m.next) {
            out.add(m.greenlet);
        }
    }

    /** @return how many items an imap keeps spawned and not yet handed out */
    int window() {
        return Integer.MAX_VALUE;
    }

    // ---- internals ---------------------------------------------------------------------------

    /**
     * @return the hub of the group, bound on first use
     * @throws IllegalStateException if the caller is not on that hub's thread, or the hub is closed
     */
    final Hub hub() {
        HubRef ref = hubRef;
        if (ref == null) {
            ref = HubRef.current();
            hubRef = ref;
            hub = ref.hub();
        } else if (!ref.isHubThread()) {
            throw new IllegalStateException(this + " belongs to the hub of " + hub.thread().getName()
                    + ": use it from that thread or its greenlets, not from " + Thread.currentThread());
        } else if (ref.isClosed()) {
            throw new IllegalStateException(this + " belongs to the hub of " + hub.thread().getName() + ", which is closed");
        }
        return hub;
    }

    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed: it takes no new greenlets");
        }
    }

    /** @return the first member, in the order they were added */
    final Member first() {
        return head;
    }

    /** @return true when nothing is left to wait for: no member, no greenlet waiting for room */
    final boolean idle() {
        return count == 0 && queued() == 0;
    }

    /** Adds {@code g} unless it is a member; false if no room was found in time. */
    final boolean tryAdd(Greenlet<?> g, Duration timeout) {
        Objects.requireNonNull(g, "add: the greenlet must not be null");
        hub();
        if (isMember(g)) {
            return true;
        }
        if (!reserve(timeout, null)) {
            return false;
        }
        // it may have been added by another greenlet while this one waited for room
        if (isMember(g)) {
            unreserve();
        } else {
            admit(new Member(this, g));
        }
        return true;
    }

    /** Links {@code m} to its greenlet and makes it a member, in the room reserved for it. */
    final void admit(Member m) {
        try {
            checkOpen();
            m.greenlet.rawlink(m);
        } catch (Throwable e) {
            unreserve();
            throw e;
        }
        admitted();
        enter(m);
    }

    /** Makes {@code m}, already linked, a member. */
    final void enter(Member m) {
        m.state = Member.IN;
        members.add(m);
        if (tail == null) {
            head = m;
        } else {
            tail.next = m;
            m.prev = tail;
        }
        tail = m;
        count++;
    }

    private void leave(Member m) {
        m.state = Member.OUT;
        members.remove(m);
        if (m.prev == null) {
            head = m.next;
        } else {
            m.prev.next = m.next;
        }
        if (m.next == null) {
            tail = m.prev;
        } else {
            m.next.prev = m.prev;
        }
        m.prev = null;
        m.next = null;
        count--;
    }

    /** The link of {@code m}: its greenlet died. Runs in the hub. */
    final void died(Member m) {
        if (m.state == Member.IN) {
            leave(m);
            noteFailure(m.greenlet);
            released();
        } else if (m.state == Member.QUEUED) {
            m.state = Member.OUT;
            dequeue(m);
        }
        m.died();
        if (idle()) {
            wakeJoiners();
        }
    }

    private void noteFailure(Greenlet<?> g) {
        if (joiners.isEmpty()) {
            return;
        }
        Throwable e = g.exception();
        if (e != null) {
            for (Joiner j : joiners) {
                if (j.raiseError && j.failure == null) {
                    j.failure = e;
                }
            }
        }
    }

    private void wakeJoiners() {
        for (Joiner j : joiners) {
            j.emptied = true;
            j.waiter.switchTo(null);
        }
        joiners.clear();
    }

    private boolean isMember(Greenlet<?> g) {
        return members.get(g) != null;
    }

    private boolean callerIsMember() {
        return isMember(Gevent.getCurrent());
    }

    static void checkTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    /** The re-throw rule of {@link Greenlet#get()}. */
    static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new CompletionException(e);
    }

    /** A greenlet in {@link #join}: woken when the group becomes empty, or by its timeout. */
    private static final class Joiner implements Runnable {
        final Waiter<Object> waiter;
        final boolean raiseError;
        Throwable failure;
        boolean emptied;

        Joiner(Waiter<Object> waiter, boolean raiseError) {
            this.waiter = waiter;
            this.raiseError = raiseError;
        }

        /** Its timeout. */
        @Override
        public void run() {
            waiter.switchTo(null);
        }
    }
}
