package dev.gevent.tck.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.event.Event;
import dev.gevent.tck.GeventTck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Greenlet dumps (gevent: {@code gevent.util.format_run_info}): {@code Gevent.dumpGreenlets()} and
 * the MBean {@code dev.gevent:type=Greenlets} list every hub with its greenlets: name, state, what
 * each waits in, who spawned it, its stack.
 */
@GeventTck
public class GreenletDumpTck {

    static void parkedInADumpedMethod(Event started, Event release) {
        started.set();
        release.await();
    }

    @Test
    void theDumpNamesEachGreenletWhatItWaitsInItsStackAndItsSpawner() {
        Event started = new Event();
        Event release = new Event();
        AtomicReference<Greenlet<?>> child = new AtomicReference<>();
        Greenlet<Void> parent = Gevent.spawn(() -> {
            child.set(Gevent.spawn(() -> parkedInADumpedMethod(started, release)));
            release.await();
        });
        started.await();
        try {
            String dump = Gevent.dumpGreenlets();
            Hub hub = Gevent.getHub();
            assertTrue(dump.contains(hub.toString()), dump);
            assertTrue(dump.contains(Gevent.getCurrent().name()), dump);
            assertTrue(dump.contains(parent.name() + " ["), dump);
            assertTrue(dump.contains(child.get().name() + " ["), dump);
            assertTrue(dump.contains("parkedInADumpedMethod"), dump);
            assertTrue(dump.contains("in dev.gevent.event.Event.await"), dump);
            assertTrue(dump.contains("spawned by " + parent.name()), dump);
            assertTrue(dump.contains("spawned by " + Gevent.getCurrent().name()), dump);
        } finally {
            release.set();
            Gevent.joinAll(List.of(parent, child.get()));
        }
    }

    @Test
    void aHubBlockedByAGreenletCanStillBeDumpedFromAnotherThread() throws Exception {
        Hub other = Hub.startThread("gevent-tck-dumped");
        Event inside = new Event();
        java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
        try (Timeout _ = Timeout.startNew(Duration.ofSeconds(20))) {
            // A greenlet of the other hub spins, never yielding: that hub cannot run anything else.
            Greenlet<Void> holder = other.spawn(() -> {
                inside.set();
                while (letGo.getCount() > 0) {
                    Thread.onSpinWait();
                }
            });
            inside.await();
            String dump = Gevent.dumpGreenlets();
            assertTrue(dump.contains("gevent-tck-dumped"), dump);
            assertTrue(dump.contains(holder.name()), dump);
            letGo.countDown();
            holder.join();
        } finally {
            letGo.countDown();
            other.close();
        }
    }

    @Test
    void theDumpSignalPrintsTheDumpToStandardError() throws Exception {
        // WINCH: its default action is to be ignored, so a handler that failed to install cannot end the JVM.
        String previous = System.getProperty("gevent.dumpSignal");
        System.setProperty("gevent.dumpSignal", "WINCH");
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Hub other = null;
        try {
            other = Hub.startThread("gevent-tck-dump-signal");
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Process kill = new ProcessBuilder("kill", "-WINCH", Long.toString(ProcessHandle.current().pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            try (Timeout _ = Timeout.startNew(Duration.ofSeconds(20))) {
                // The JVM's signal thread prints: wait for its output to arrive.
                while (!captured.toString(StandardCharsets.UTF_8).contains("gevent-tck-dump-signal")) {
                    Gevent.sleep(Duration.ofMillis(5));
                }
            }
            assertTrue(captured.toString(StandardCharsets.UTF_8).startsWith("gevent: "), captured::toString);
        } finally {
            System.setErr(stderr);
            if (previous == null) {
                System.clearProperty("gevent.dumpSignal");
            } else {
                System.setProperty("gevent.dumpSignal", previous);
            }
            if (other != null) {
                other.close();
            }
        }
    }

    @Test
    void aHubWhoseThreadEndedWithoutClosingItLeavesTheDump() throws Exception {
        Thread t = Thread.ofPlatform().name("gevent-tck-forgotten-hub").start(Gevent::getHub);
        t.join();
        String dump = Gevent.dumpGreenlets();
        assertTrue(!dump.contains("gevent-tck-forgotten-hub"), dump);
        assertTrue(dump.contains(Gevent.getHub().toString()), dump);
    }

    @Test
    void theMBeanDumpsTheSameHubs() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.gevent:type=Greenlets");
        try (Timeout _ = Timeout.startNew(Duration.ofSeconds(20))) {
            // The MBean is registered in the background when the first hub is created.
            while (!server.isRegistered(name)) {
                Gevent.sleep(Duration.ofMillis(5));
            }
        }
        String dump = (String) server.invoke(name, "dumpGreenlets", null, null);
        assertTrue(dump.contains(Gevent.getHub().toString()), dump);
        int hubs = (Integer) server.getAttribute(name, "HubCount");
        assertTrue(hubs >= 1, "HubCount " + hubs);
    }
}
