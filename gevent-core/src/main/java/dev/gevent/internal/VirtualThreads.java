package dev.gevent.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;

/**
 * The JDK internals a hub needs: a virtual-thread builder with a scheduler of our own, the carrier
 * of the running code, the scheduler of a virtual thread and the carrier it is mounted on. JDK 25
 * has no public API for them; all need {@code --add-opens java.base/java.lang=ALL-UNNAMED}.
 */
final class VirtualThreads {
    static final String FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    private static final Constructor<?> BUILDER;
    private static final MethodHandle CURRENT_CARRIER;
    private static final VarHandle SCHEDULER;
    private static final VarHandle CARRIER;
    private static final String FAILURE;

    static {
        startJdkPollers();
        Constructor<?> builder = null;
        MethodHandle carrier = null;
        VarHandle scheduler = null;
        VarHandle mountedOn = null;
        String failure = null;
        try {
            Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            builder = builderClass.getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            carrier = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            Class<?> vthread = Class.forName("java.lang.VirtualThread");
            scheduler = MethodHandles.privateLookupIn(vthread, MethodHandles.lookup())
                    .findVarHandle(vthread, "scheduler", Executor.class);
            mountedOn = MethodHandles.privateLookupIn(vthread, MethodHandles.lookup())
                    .findVarHandle(vthread, "carrierThread", Thread.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = e.toString();
        }
        BUILDER = builder;
        CURRENT_CARRIER = carrier;
        SCHEDULER = scheduler;
        CARRIER = mountedOn;
        FAILURE = failure;
    }

    private VirtualThreads() {
    }

    /**
     * The JDK runs blocking socket I/O of virtual threads through poller threads that it starts on
     * first use, as virtual threads that take the scheduler of the thread that starts them. Were a
     * greenlet first, the pollers would become greenlets of its hub, and every socket in the JVM
     * would stall once that hub is blocked or closed. Loading the poller class here, on the
     * platform thread that creates the first hub, starts them on the JDK's own scheduler.
     */
    private static void startJdkPollers() {
        try {
            Class.forName("sun.nio.ch.Poller", true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            // A JDK without this class polls some other way; nothing to start.
        }
    }

    /** Fails with a message naming the JVM flag when the internals are not accessible. */
    static void check() {
        if (FAILURE != null) {
            throw new IllegalStateException("gevent needs the JVM flag " + FLAG
                    + " (and --enable-native-access=ALL-UNNAMED) to schedule greenlets on a hub; start java with it"
                    + " (executable jars carry it in their manifest, surefire in argLine). Cause: " + FAILURE);
        }
    }

    /** @return a builder of virtual threads that {@code scheduler} runs */
    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        check();
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual thread builder with a custom scheduler", e);
        }
    }

    /** @return the platform thread the calling code runs on (itself, for a platform thread) */
    static Thread currentCarrier() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the scheduler of virtual thread {@code t} */
    static Executor scheduler(Thread t) {
        return (Executor) SCHEDULER.get(t);
    }

    /** @return the platform thread virtual thread {@code t} is mounted on now, or null; any thread may ask */
    static Thread carrierOf(Thread t) {
        return (Thread) CARRIER.getVolatile(t);
    }
}
