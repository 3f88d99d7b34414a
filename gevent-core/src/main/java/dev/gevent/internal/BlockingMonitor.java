package dev.gevent.internal;

import dev.gevent.Greenlet;
import dev.gevent.events.EventLoopBlocked;
import dev.gevent.events.Events;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * gevent's monitor thread ({@code gevent.monitor=true}): one platform daemon thread, started with
 * the first hub created while the setting is on, samples every watched hub a few times per
 * {@code gevent.maxBlockingTime} and reports a hub whose loop has not polled for that long while
 * something holds its thread: a greenlet that computes or blocks in native code, user code of the
 * main greenlet while the hub has greenlets, or a hub callback. It reports once per episode:
 * through the {@code System.Logger} {@code dev.gevent.monitor} (WARNING) and
 * {@link Events} ({@link EventLoopBlocked}) when noticed, and as the JFR event
 * {@code dev.gevent.HubBlocked} with the episode's length when it ends.
 *
 * <p>It costs the hub nothing: it reads the time of the loop's last poll, which the loop writes
 * anyway, and whether the loop is waiting in its poll. A hub waiting for I/O or timers is idle,
 * not blocked.
 */
final class BlockingMonitor implements Runnable {
    private static final long UNKNOWN = Long.MIN_VALUE;
    private static final long DEFAULT_MAX_BLOCKING_NANOS = 100_000_000L;
    private static final long MIN_PERIOD_NANOS = 1_000_000L;
    private static final Object START_LOCK = new Object();
    private static BlockingMonitor instance;

    private final Map<HubImpl, Watch> watches = new ConcurrentHashMap<>();

    /** The logger, looked up once the monitor runs: every hub's creation passes through this class. */
    private static final class Log {
        static final System.Logger LOGGER = System.getLogger("dev.gevent.monitor");
    }

    private BlockingMonitor() {
    }

    /** Watches {@code hub} if {@code gevent.monitor} is on; starts the monitor's thread on first use. */
    static void hubCreated(HubImpl hub) {
        if (!enabled()) {
            return;
        }
        long max = maxBlockingNanos();
        BlockingMonitor m;
        synchronized (START_LOCK) {
            if (instance == null) {
                instance = new BlockingMonitor();
                Thread.ofPlatform().name("gevent-monitor").daemon(true).start(instance);
            }
            m = instance;
        }
        m.watches.put(hub, new Watch(hub, max));
    }

    static boolean enabled() {
        String v = Config.get("gevent.monitor", "GEVENT_MONITOR");
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "on", "yes" -> true;
            case "false", "0", "off", "no" -> false;
            default -> throw new IllegalArgumentException("gevent.monitor=" + v + ": expected true or false");
        };
    }

    static long maxBlockingNanos() {
        String v = Config.get("gevent.maxBlockingTime", "GEVENT_MAX_BLOCKING_TIME");
        return v == null ? DEFAULT_MAX_BLOCKING_NANOS : Config.parseDuration("gevent.maxBlockingTime", v).toNanos();
    }

    @Override
    public void run() {
        while (true) {
            long period = DEFAULT_MAX_BLOCKING_NANOS / 4;
            for (Watch w : watches.values()) {
                period = Math.min(period, Math.max(MIN_PERIOD_NANOS, w.maxNanos / 4));
            }
            LockSupport.parkNanos(period);
            long now = System.nanoTime();
            watches.values().removeIf(w -> {
                if (w.hub.isClosed() || !w.hub.thread.isAlive()) {
                    w.endEpisode();
                    return true;
                }
                w.sample(now);
                return false;
            });
        }
    }

    /** The monitor's view of one hub. Monitor thread only. */
    private static final class Watch {
        final HubImpl hub;
        final long maxNanos;
        private long lastStamp;
        /** Since when the loop is known to have been held without polling; UNKNOWN after an idle sample. */
        private long heldSince = UNKNOWN;
        private long lastHeldSample;
        private boolean reported;
        private String culprit;
        private String culpritStack;

        Watch(HubImpl hub, long maxNanos) {
            this.hub = hub;
            this.maxNanos = maxNanos;
            this.lastStamp = hub.loopStamp();
        }

        void sample(long now) {
            long stamp = hub.loopStamp();
            if (hub.isPollingIdle()) {
                endEpisode();
                lastStamp = stamp;
                heldSince = UNKNOWN;
                return;
            }
            if (stamp != lastStamp) {
                endEpisode();
                lastStamp = stamp;
                heldSince = stamp;
            } else if (heldSince == UNKNOWN) {
                heldSince = now;
            }
            lastHeldSample = now;
            long held = now - heldSince;
            if (!reported && held >= maxNanos) {
                reported = report(held);
            }
        }

        /** @return true if reported; false if the hub's own thread holds it with nothing waiting */
        private boolean report(long heldNanos) {
            GreenletImpl<?> running = hub.mountedGreenlet();
            Greenlet<?> who;
            Thread holder;
            if (running != null) {
                who = running;
                holder = running.thread;
            } else {
                if (!hub.isDispatching() && !hub.hasGreenlets()) {
                    return false;
                }
                holder = hub.thread;
                who = hub.isRunningUnknownVirtualThread() ? null : hub.main;
            }
            StackTraceElement[] stack = holder.getStackTrace();
            String name = who != null ? who.toString()
                    : "a virtual thread of the hub that is not one of its greenlets (carrier stack below)";
            String what = running == null && who != null && inLoop(stack) ? " (a hub callback)" : "";
            StringBuilder text = new StringBuilder()
                    .append("gevent: the loop of ").append(hub).append(" has not run for ")
                    .append(heldNanos / 1_000_000).append(" ms (gevent.maxBlockingTime=").append(maxNanos / 1_000_000)
                    .append(" ms): held by ").append(name).append(what);
            StringBuilder frames = new StringBuilder();
            for (StackTraceElement e : stack) {
                frames.append("\tat ").append(e).append('\n');
            }
            text.append('\n').append(frames);
            String report = text.toString();
            culprit = name;
            culpritStack = frames.toString();
            Log.LOGGER.log(System.Logger.Level.WARNING, report);
            if (Events.hasSubscribers()) {
                Events.notify(new EventLoopBlocked(hub, who, Duration.ofNanos(heldNanos), List.copyOf(Arrays.asList(stack)),
                        report));
            }
            return true;
        }

        /** @return true if the hub's thread runs its loop: what holds it is a callback, not the main greenlet's code */
        private static boolean inLoop(StackTraceElement[] hubThreadStack) {
            for (StackTraceElement e : hubThreadStack) {
                if (e.getClassName().equals(HubImpl.class.getName()) && e.getMethodName().equals("runOnce")) {
                    return true;
                }
            }
            return false;
        }

        /** An episode ends when the loop polls again or the hub closes. */
        void endEpisode() {
            if (reported) {
                HubBlockedEvent e = new HubBlockedEvent();
                if (e.isEnabled()) {
                    e.hub = hub.toString();
                    e.culprit = culprit;
                    e.culpritStack = culpritStack;
                    e.blockedFor = lastHeldSample - heldSince;
                    e.commit();
                }
            }
            reported = false;
            culprit = null;
            culpritStack = null;
        }
    }
}
