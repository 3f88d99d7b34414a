package dev.gevent.tck.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Cancellable;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.event.AsyncResult;
import dev.gevent.event.Event;
import dev.gevent.events.EventLoopBlocked;
import dev.gevent.events.Events;
import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * The blocking monitor ({@code gevent.monitor=true}): a greenlet that computes for 300 ms holds its
 * hub; the monitor reports it once, naming the method it spins in, through {@link Events}, the
 * {@code System.Logger} {@code dev.gevent.monitor} and the JFR event {@code dev.gevent.HubBlocked}.
 * An idle hub is not reported. The watched hub is a {@link Hub#startThread} hub created while the
 * settings are on.
 */
@GeventTck
public class BlockingMonitorTck {
    private static volatile long sink;

    /**
     * Busy, not sleeping: the hub's thread computes for 300 ms, and on until {@code reported} is
     * set (at most 10 s more), so that a watchdog the OS schedules late still sees the hub held.
     */
    static void spinAtLeast300Millis(AsyncResult<?> reported) {
        long start = System.nanoTime();
        long x = 0;
        while (System.nanoTime() - start < 300_000_000L
                || (!reported.ready() && System.nanoTime() - start < 10_300_000_000L)) {
            x += x * 31 + 7;
        }
        sink = x;
    }

    private static Hub monitoredHub(String name) {
        String monitor = System.getProperty("gevent.monitor");
        String max = System.getProperty("gevent.maxBlockingTime");
        System.setProperty("gevent.monitor", "true");
        System.setProperty("gevent.maxBlockingTime", "100ms");
        try {
            return Hub.startThread(name);
        } finally {
            restore("gevent.monitor", monitor);
            restore("gevent.maxBlockingTime", max);
        }
    }

    /** Collects the reports about {@code watched} into {@code reports}; the first one also into {@code first}. */
    private static Cancellable collect(Hub watched, List<EventLoopBlocked> reports, AsyncResult<EventLoopBlocked> first) {
        return Events.subscribe(event -> {
            if (event instanceof EventLoopBlocked b && b.hub() == watched) {
                reports.add(b);
                if (!first.ready()) {
                    first.set(b);
                }
            }
        });
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void aGreenletBusyFor300MillisIsReportedOnceNamingTheMethodItSpinsIn() throws Exception {
        Hub watched = monitoredHub("gevent-tck-monitored");
        List<EventLoopBlocked> reports = new CopyOnWriteArrayList<>();
        AsyncResult<EventLoopBlocked> firstReport = new AsyncResult<>();
        AsyncResult<RecordedEvent> jfrEvent = new AsyncResult<>();
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger julLogger = Logger.getLogger("dev.gevent.monitor");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        julLogger.addHandler(capture);
        Cancellable subscription = collect(watched, reports, firstReport);
        try (RecordingStream jfr = new RecordingStream(); Timeout _ = Timeout.startNew(Duration.ofSeconds(25))) {
            jfr.enable("dev.gevent.HubBlocked");
            jfr.onEvent("dev.gevent.HubBlocked", e -> {
                if (e.getString("hub").equals(watched.toString()) && !jfrEvent.ready()) {
                    jfrEvent.set(e);
                }
            });
            jfr.startAsync();
            Greenlet<Void> busy = watched.spawn(() -> spinAtLeast300Millis(firstReport));
            busy.join();

            EventLoopBlocked report = firstReport.get(Duration.ofSeconds(10));
            assertTrue(report.report().contains("spinAtLeast300Millis"), report.report());
            assertTrue(report.report().contains(watched.toString()), report.report());
            assertSame(busy, report.greenlet());
            assertTrue(report.blockingTime().compareTo(Duration.ofMillis(100)) >= 0, report.blockingTime().toString());
            assertEquals(1, reports.size(), "one report per episode: " + reports);
            if (System.LoggerFinder.getLoggerFinder().getClass().getName().startsWith("sun.util.logging")) {
                // The JDK's default System.Logger writes to java.util.logging: the same text arrives there.
                assertTrue(logged.stream().anyMatch(m -> m.contains("spinAtLeast300Millis")), logged.toString());
            }

            RecordedEvent event = jfrEvent.get(Duration.ofSeconds(20));
            assertTrue(event.getString("culpritStack").contains("spinAtLeast300Millis"), event.getString("culpritStack"));
            assertTrue(event.getDuration("blockedFor").compareTo(Duration.ofMillis(100)) >= 0, event.toString());
        } finally {
            subscription.cancel();
            julLogger.removeHandler(capture);
            watched.close();
        }
    }

    @Test
    void aBusyHubCallbackIsReportedAsTheMainGreenletsWithItsMethod() {
        Hub watched = monitoredHub("gevent-tck-monitored-callback");
        AsyncResult<EventLoopBlocked> report = new AsyncResult<>();
        Cancellable subscription = collect(watched, new CopyOnWriteArrayList<>(), report);
        try {
            watched.callThreadSafe(() -> spinAtLeast300Millis(report));
            EventLoopBlocked r = report.get(Duration.ofSeconds(10));
            assertTrue(r.report().contains("spinAtLeast300Millis") && r.report().contains("(a hub callback)"), r.report());
            assertEquals("MainGreenlet[" + watched.thread().getName() + "]", r.greenlet().name());
        } finally {
            subscription.cancel();
            watched.close();
        }
    }

    @Test
    void aMainGreenletThatComputesWhileItsHubHasGreenletsIsReported() {
        CompletableFuture<String> created = new CompletableFuture<>();
        CompletableFuture<EventLoopBlocked> report = new CompletableFuture<>();
        String monitor = System.getProperty("gevent.monitor");
        System.setProperty("gevent.monitor", "true");
        try (Timeout _ = Timeout.startNew(Duration.ofSeconds(20))) {
            Thread.ofPlatform().name("gevent-tck-monitored-main").start(() -> {
                try (Hub hub = Gevent.getHub()) {
                    created.complete(Gevent.getCurrent().name());
                    AsyncResult<EventLoopBlocked> seen = new AsyncResult<>();
                    Cancellable subscription = collect(hub, new CopyOnWriteArrayList<>(), seen);
                    try {
                        Event never = new Event();
                        Gevent.spawn(() -> {
                            never.await();
                        });
                        Gevent.sleep();                      // the greenlet runs and waits
                        spinAtLeast300Millis(seen);          // the main greenlet's own code holds the hub
                        report.complete(seen.getNow());
                    } catch (Throwable e) {
                        report.completeExceptionally(e);
                    } finally {
                        subscription.cancel();
                    }
                }
            });
            // The setting is read when the hub is created: keep it until then.
            String mainName = AsyncResult.of(created).get();
            restore("gevent.monitor", monitor);
            EventLoopBlocked r = AsyncResult.of(report).get();
            assertTrue(r.report().contains("spinAtLeast300Millis"), r.report());
            assertTrue(!r.report().contains("(a hub callback)"), r.report());
            assertEquals(mainName, r.greenlet().name());
        } finally {
            restore("gevent.monitor", monitor);
        }
    }

    @Test
    void anIdleHubIsNotReported() {
        Hub watched = monitoredHub("gevent-tck-monitored-idle");
        List<EventLoopBlocked> reports = new CopyOnWriteArrayList<>();
        Cancellable subscription = collect(watched, reports, new AsyncResult<>());
        try {
            // The hub waits in its poll for 400 ms: idle, not blocked.
            watched.spawn(() -> Gevent.sleep(Duration.ofMillis(400))).join();
            assertEquals(List.of(), reports);
        } finally {
            subscription.cancel();
            watched.close();
        }
    }

    @Test
    void aBadSettingFailsTheHubWithTheSettingsName() {
        String monitor = System.getProperty("gevent.monitor");
        System.setProperty("gevent.monitor", "sometimes");
        try {
            RuntimeException e = assertThrows(RuntimeException.class, () -> Hub.startThread("gevent-tck-bad-monitor"));
            Throwable cause = e instanceof IllegalArgumentException ? e : e.getCause();
            assertTrue(cause instanceof IllegalArgumentException, e.toString());
            assertTrue(cause.getMessage().contains("gevent.monitor=sometimes"), cause.getMessage());
        } finally {
            restore("gevent.monitor", monitor);
        }
    }
}
