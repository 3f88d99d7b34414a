package dev.gevent.internal;

/**
 * Keeps the monitors a hub's main greenlet holds out of its greenlets' way.
 *
 * <p>The main greenlet is the hub's platform thread, and it runs the loop, so greenlets mount on
 * the very thread whose frames below may hold monitors (a {@code synchronized} block around a
 * blocking call; {@code BufferedReader.readLine} on a socket stream). HotSpot keeps monitors taken
 * by lightweight locking on a per-thread lock stack and, assuming a carrier holds none, moves the
 * whole lock stack into a virtual thread's stack when it parks: the main greenlet's monitors would
 * leave with the greenlet, ending in an {@link IllegalMonitorStateException} or a crash of the VM.
 * Monitors inflated into full monitors are not on the lock stack and stay with their owner. Locking
 * as many fresh objects as the lock stack holds (8 entries in HotSpot) makes HotSpot inflate the
 * oldest entries, which are the main greenlet's, and costs about 200 ns when it holds none. The
 * TCK's {@code MainGreenletMonitorTck} fails if a JDK changes this.
 *
 * <p>Hub thread only: each hub has its own instance, so hubs never contend for these objects.
 */
final class CarrierMonitors {
    private static final int LOCK_STACK_CAPACITY = 8;
    /** Fresh objects each time: an inflated or escape-analysed object would not fill the lock stack. */
    private final Object[] fillers = new Object[LOCK_STACK_CAPACITY];

    /** Inflates the monitors the calling thread holds through lightweight locking. */
    void inflateHeld() {
        for (int i = 0; i < fillers.length; i++) {
            fillers[i] = new Object();
        }
        lockFrom(0);
        java.util.Arrays.fill(fillers, null);
    }

    private void lockFrom(int i) {
        if (i == fillers.length) {
            return;
        }
        synchronized (fillers[i]) {
            lockFrom(i + 1);
        }
    }
}
