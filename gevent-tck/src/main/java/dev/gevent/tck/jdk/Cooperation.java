package dev.gevent.tck.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every test of this package proves besides its result: while greenlets sat in JDK blocking
 * calls the hub went on running other greenlets (a ticker greenlet counts, and long calls must see
 * it tick), and greenlets never ran in parallel (every checked stretch of greenlet code ran on the
 * hub's thread as carrier, and no two checked stretches overlapped).
 *
 * <p>The counters are atomic although one thread writes them when all goes well: they must stay
 * exact when it does not, since that is what they detect.
 */
final class Cooperation implements AutoCloseable {
    private static final Duration TICK = Duration.ofMillis(1);
    /** Long enough that a stretch running on another carrier at the same time would overlap. */
    private static final int STRETCH_SPINS = 200;

    private final Hub hub;
    private final AtomicInteger ticks = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final AtomicInteger stretches = new AtomicInteger();
    private final AtomicInteger longCalls = new AtomicInteger();
    private final AtomicInteger stalledCalls = new AtomicInteger();
    private final Set<String> strangers = ConcurrentHashMap.newKeySet();
    private final Greenlet<Void> ticker;

    private Cooperation(Hub hub) {
        this.hub = hub;
        this.ticker = Gevent.spawn(() -> {
            while (true) {
                step();
                ticks.incrementAndGet();
                Gevent.sleep(TICK);
            }
        });
    }

    /** @return a cooperation check whose ticker runs in the calling thread's hub */
    static Cooperation start() {
        return new Cooperation(Gevent.getHub());
    }

    /** @return how often the ticker has ticked so far */
    int ticks() {
        return ticks.get();
    }

    /**
     * Marks a stretch of greenlet code between two blocking calls: it must run as a greenlet of
     * the hub, on the hub's thread, and alone.
     */
    void step() {
        Thread me = Thread.currentThread();
        // A mounted virtual thread's toString() ends with "@" and the name of its carrier.
        if (!me.isVirtual() || !me.toString().endsWith("@" + hub.thread().getName())) {
            strangers.add(me.toString());
        }
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        for (int i = 0; i < STRETCH_SPINS; i++) {
            Thread.onSpinWait();
        }
        inside.decrementAndGet();
        stretches.incrementAndGet();
    }

    /**
     * Runs {@code call}, a blocking call that lasts many ticks, between two checked stretches, and
     * counts it as stalled if the ticker did not tick meanwhile.
     *
     * @return what {@code call} returned
     * @throws CompletionException around a checked exception of {@code call}
     */
    <T> T longCall(Callable<T> call) {
        step();
        int before = ticks.get();
        T result;
        try {
            result = call.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
        if (ticks.get() == before) {
            stalledCalls.incrementAndGet();
        }
        longCalls.incrementAndGet();
        step();
        return result;
    }

    /** {@link #longCall} for {@link Thread#sleep}. */
    void threadSleep(long millis) {
        longCall(() -> {
            Thread.sleep(millis);
            return null;
        });
    }

    /** Stops the ticker, then asserts that the hub cooperated throughout. Main greenlet. */
    void assertCooperated() {
        close();
        assertTrue(strangers.isEmpty(), "greenlet code ran off the hub thread " + hub.thread().getName() + ": " + strangers);
        assertEquals(1, mostInside.get(), "greenlets of one hub ran in parallel");
        assertTrue(longCalls.get() > 0, "no long JDK call was checked");
        // A hub that blocks in JDK calls stalls all of them; a loaded machine can stall a few.
        assertTrue(stalledCalls.get() * 2 < longCalls.get(),
                stalledCalls.get() + " of " + longCalls.get() + " long calls saw the hub run no other greenlet meanwhile");
        assertTrue(stretches.get() > ticks.get(), "no stretch of greenlet code was checked besides the ticker's");
    }

    /** Stops the ticker. Main greenlet; idempotent. */
    @Override
    public void close() {
        ticker.kill();
    }
}
