package dev.gevent.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * One strand waiting on a synchronizer that may be shared by hubs and plain threads (Event,
 * AsyncResult, Semaphore, the queues): created by the strand about to block, woken from ANY
 * thread, resumed on its own hub. Internal API for gevent-core's synchronizers.
 *
 * <p>Exactly one of {@link #wake} and the waiter's own timeout, kill or Timeout wins, decided by a
 * CAS: a waker that gets {@code false} from {@code wake} knows the node gave up and wakes the next
 * one instead. A node that was woken but whose {@link #await} then threw (a kill or Timeout that
 * landed at the same moment) reports {@link #woken()} true: the synchronizer must pass on what it
 * was handed (a permit, an item), as gevent does.
 *
 * <p>Waiting does not keep the hub alive: a hub with nothing else to do raises
 * {@link dev.gevent.LoopExit} in a main greenlet that waits on a node only another thread could
 * wake, as gevent does. Whoever knows another thread will wake it calls {@link HubRef#retain}.
 */
public final class WaitNode {
    private static final int WAITING = 0;
    private static final int WOKEN = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WaitNode.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HubImpl hub;
    private final WaiterImpl<Object> waiter;
    @SuppressWarnings("unused")
    private volatile int state;
    private Object value;

    private WaitNode(HubImpl hub) {
        this.hub = hub;
        this.waiter = new WaiterImpl<>(hub);
    }

    /**
     * @return a node for the calling strand, which is about to block
     * @throws dev.gevent.BlockingSwitchOutError in a hub callback
     */
    public static WaitNode forCurrentStrand() {
        return new WaitNode(RuntimeImpl.blockingStrand().hub);
    }

    /**
     * Blocks the calling strand (the one that created the node) until {@link #wake} or until
     * {@code timeout} elapsed. A kill or Timeout propagates; the node is then cancelled unless it
     * had been woken already (see {@link #woken()}).
     *
     * @param timeout null = forever
     * @return true if woken, false if the timeout came first
     */
    public boolean await(Duration timeout) {
        Timer timer = timeout == null ? null : hub.scheduleWaiter(waiter, timeout);
        try {
            waiter.get();
        } catch (Throwable e) {
            cancel();
            throw e;
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
        // Woken, or the timer fired: only then can the node still be cancelled.
        return state == WOKEN || !cancel();
    }

    /**
     * Wakes the node, from ANY thread, handing it {@code v}.
     *
     * @param v what {@link #value()} returns to the waiter
     * @return true if this call woke it; false if it was woken before or gave up
     */
    public boolean wake(Object v) {
        if (state != WAITING) {
            return false;
        }
        if (hub.isClosed()) {
            // its hub would drop the wake-up: give what was to be handed over to the next waiter
            cancel();
            return false;
        }
        value = v;
        if (!STATE.compareAndSet(this, WAITING, WOKEN)) {
            return false;
        }
        if (hub.isHubThread()) {
            waiter.switchTo(null);
        } else {
            hub.post(waiter);
        }
        return true;
    }

    /** @return true if this call gave the node up before it was woken */
    public boolean cancel() {
        return STATE.compareAndSet(this, WAITING, CANCELLED);
    }

    /** @return true once woken (even if {@link #await} threw afterwards) */
    public boolean woken() {
        return state == WOKEN;
    }

    /** @return what the waker handed over; read after {@link #await} returned true */
    public Object value() {
        return value;
    }

    /** @return the hub the waiting strand belongs to */
    public HubRef hub() {
        return new HubRef(hub);
    }
}
