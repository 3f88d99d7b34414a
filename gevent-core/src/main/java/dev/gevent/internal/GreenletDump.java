package dev.gevent.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * gevent.util.format_run_info: every open hub with its greenlets, their state, what they wait in,
 * who spawned them and their stacks. Runs on any thread and reads the hubs without stopping them.
 */
final class GreenletDump {
    /** Frames of the machinery a greenlet blocks through; the first frame past them says what it waits in. */
    private static final Set<String> PLUMBING = Set.of("java.lang.VirtualThread", "java.lang.Thread",
            "jdk.internal.misc.Unsafe", "java.util.concurrent.locks.LockSupport", "jdk.internal.vm.Continuation");
    /** The packages of the library itself, whose frames a user's wait goes through. */
    private static final Set<String> LIBRARY = Set.of("dev.gevent", "dev.gevent.internal", "dev.gevent.event",
            "dev.gevent.queue", "dev.gevent.lock", "dev.gevent.pool", "dev.gevent.socket", "dev.gevent.ssl",
            "dev.gevent.server", "dev.gevent.threadpool", "dev.gevent.subprocess", "dev.gevent.backdoor", "dev.gevent.http");

    private GreenletDump() {
    }

    static String format() {
        List<HubImpl> hubs = HubRegistry.hubs().stream()
                .sorted(Comparator.comparing(h -> h.thread.getName()))
                .toList();
        StringBuilder out = new StringBuilder();
        out.append("gevent: ").append(hubs.size()).append(hubs.size() == 1 ? " hub" : " hubs").append('\n');
        for (HubImpl hub : hubs) {
            formatHub(hub, out);
        }
        return out.toString();
    }

    private static void formatHub(HubImpl hub, StringBuilder out) {
        List<GreenletImpl<?>> greenlets = hub.greenletsSnapshot().reversed();
        String loopState = hub.isPollingIdle() ? "waiting for I/O or timers"
                : hub.isDispatching() ? "running greenlets and callbacks" : "its main greenlet runs";
        out.append('\n').append(hub).append(": ").append(greenlets.size())
                .append(greenlets.size() == 1 ? " greenlet" : " greenlets").append(", ").append(loopState).append('\n');
        out.append("  ").append(hub.main.name()).append(" (thread ").append(hub.thread.getState()).append(")\n");
        appendStack(hub.thread.getStackTrace(), out);
        for (GreenletImpl<?> g : greenlets) {
            Thread t = g.thread;
            out.append("  ").append(g);
            if (t != null) {
                StackTraceElement[] stack = t.getStackTrace();
                out.append(", thread ").append(t.getState());
                String in = waitingIn(stack);
                if (in != null) {
                    out.append(", in ").append(in);
                }
                out.append(", spawned by ").append(g.spawnedBy()).append('\n');
                appendStack(stack, out);
            } else {
                out.append(", spawned by ").append(g.spawnedBy()).append('\n');
            }
        }
    }

    /**
     * @return for a parked greenlet, the call it waits in: the outermost gevent frame of the wait
     *     (e.g. {@code Event.await}), else the first frame above the parking machinery; else null
     */
    private static String waitingIn(StackTraceElement[] stack) {
        if (stack.length == 0 || !isPlumbing(stack[0].getClassName())) {
            return null;
        }
        StackTraceElement api = null;
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (isPlumbing(c)) {
                continue;
            }
            int dot = c.lastIndexOf('.');
            if (dot < 0 || !LIBRARY.contains(c.substring(0, dot))) {
                return (api != null ? api : e).toString();
            }
            api = e;
        }
        return api == null ? null : api.toString();
    }

    private static boolean isPlumbing(String className) {
        return PLUMBING.contains(className) || className.startsWith("java.lang.System$");
    }

    private static void appendStack(StackTraceElement[] stack, StringBuilder out) {
        for (StackTraceElement e : stack) {
            out.append("      at ").append(e).append('\n');
        }
    }
}
