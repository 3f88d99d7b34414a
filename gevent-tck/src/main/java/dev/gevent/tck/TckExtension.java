package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs each test method body as the main greenlet of a fresh hub. The body runs on a new platform
 * thread, so that {@link Gevent#getHub()} there creates a hub of its own on the loop under test
 * ({@link TckConfig#loopName()}); the hub is closed when the body ends, whatever the outcome, and the
 * body's failure is rethrown on the JUnit thread.
 *
 * <p>Every test has a time limit: the method's {@link Timeout}, else its class's (a
 * {@link GeventTck} class has 30 seconds), else 30 seconds. A test that overruns fails with the
 * stack trace of its thread, which is then interrupted, and its hub is closed from another thread.
 * JUnit's own handling of {@link Timeout} interrupts the waiting JUnit thread at the same deadline;
 * that is treated as the same expiry.
 */
public final class TckExtension implements InvocationInterceptor {
    private static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        runOnFreshHub(invocation, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        runOnFreshHub(invocation, extensionContext);
    }

    private static void runOnFreshHub(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        Method method = context.getRequiredTestMethod();
        Duration limit = timeLimit(method, context.getRequiredTestClass());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Hub> hub = new AtomicReference<>();
        // Daemon: a body that ignores its interrupt must not keep the test JVM alive.
        Thread worker = Thread.ofPlatform()
                .name("gevent-tck-" + SEQUENCE.incrementAndGet() + "-" + method.getName())
                .daemon(true)
                .unstarted(() -> failure.set(runAsMainGreenlet(invocation, hub)));
        long start = System.nanoTime();
        worker.start();
        boolean finished;
        boolean interrupted = false;
        try {
            finished = worker.join(limit);
        } catch (InterruptedException e) {
            finished = false;
            interrupted = true;
        }
        if (!finished) {
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            StackTraceElement[] stack = worker.getStackTrace();
            worker.interrupt();
            closeAside(hub.get(), worker.getName());
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable where = new Throwable("stack of " + worker.getName() + " when the time limit passed");
            where.setStackTrace(stack);
            fail(method.getName() + " did not finish within " + limit.toMillis() + " ms (waited " + waited.toMillis() + " ms); "
                    + worker.getName() + " was interrupted. Its stack:" + format(stack), where);
        }
        Throwable t = failure.get();
        if (t != null) {
            throw t;
        }
    }

    private static Throwable runAsMainGreenlet(Invocation<Void> invocation, AtomicReference<Hub> created) {
        Throwable failure = null;
        Hub hub = null;
        try {
            hub = Gevent.getHub();
            created.set(hub);
            assertEquals(TckConfig.loopName(), hub.loopName(), "the fresh hub runs on another loop than gevent.loop names");
            invocation.proceed();
        } catch (Throwable t) {
            failure = t;
        } finally {
            if (hub != null) {
                try {
                    hub.close();
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    } else {
                        failure.addSuppressed(t);
                    }
                }
            }
        }
        return failure;
    }

    /**
     * A hung body often spins in its hub, where an interrupt does not reach it; closing the hub ends
     * it, so that it does not hold a core for the rest of the run. Close is called from a thread of
     * its own because a broken hub may block its caller.
     */
    private static void closeAside(Hub hub, String workerName) {
        if (hub != null) {
            Thread.ofPlatform().name(workerName + "-closer").daemon(true).start(hub::close);
        }
    }

    private static Duration timeLimit(Method method, Class<?> testClass) {
        Optional<Timeout> timeout = AnnotationSupport.findAnnotation(method, Timeout.class);
        if (timeout.isEmpty()) {
            timeout = AnnotationSupport.findAnnotation(testClass, Timeout.class);
        }
        return timeout.map(t -> Duration.of(t.value(), t.unit().toChronoUnit())).orElse(DEFAULT_TIME_LIMIT);
    }

    private static String format(StackTraceElement[] stack) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement frame : stack) {
            sb.append(System.lineSeparator()).append("\tat ").append(frame);
        }
        return sb.toString();
    }
}
