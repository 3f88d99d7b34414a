package dev.gevent.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code hub.executor()}: each task runs as a new greenlet of the hub, so that
 * {@code Executor}-based JDK code ({@code CompletableFuture}, {@code HttpClient}) runs on greenlets.
 * Usable from any thread. Its lifecycle is its own: shutting it down does not affect the hub.
 */
final class HubExecutorService extends AbstractExecutorService {
    private final HubImpl hub;
    private final Set<GreenletImpl<Void>> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final CrossThreadLatch terminated = new CrossThreadLatch();
    private volatile boolean shutdown;

    HubExecutorService(HubImpl hub) {
        this.hub = hub;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (shutdown) {
            throw new RejectedExecutionException("this executor of " + hub + " is shut down");
        }
        active.incrementAndGet();
        GreenletImpl<Void>[] self = holder();
        GreenletImpl<Void> g = GreenletImpl.raw(hub, () -> {
            try {
                task.run();
            } finally {
                running.remove(self[0]);
                finished();
            }
        });
        self[0] = g;
        running.add(g);
        try {
            hub.checkOpen();
            g.thread.start();
        } catch (RuntimeException e) {
            running.remove(g);
            finished();
            throw new RejectedExecutionException("cannot run a task on " + hub + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static GreenletImpl<Void>[] holder() {
        return new GreenletImpl[1];
    }

    private void finished() {
        if (active.decrementAndGet() == 0 && shutdown) {
            terminated.open();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        if (active.get() == 0) {
            terminated.open();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        for (GreenletImpl<Void> g : running) {
            g.killAsync(new dev.gevent.GreenletExit("executor shut down"));
        }
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return terminated.isOpen();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return terminated.await(Duration.ofNanos(unit.toNanos(timeout)));
    }
}
