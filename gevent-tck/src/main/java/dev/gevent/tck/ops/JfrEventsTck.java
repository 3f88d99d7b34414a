package dev.gevent.tck.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.tck.GeventTck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** JFR events {@code dev.gevent.GreenletSpawn} and {@code dev.gevent.GreenletExit}, when a recording enables them. */
@GeventTck
public class JfrEventsTck {

    @Test
    void spawnAndExitAreRecordedWithNameSpawnerAndOutcome() throws Exception {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        Path file = Files.createTempFile("gevent-tck", ".jfr");
        Greenlet<Integer> ok;
        Greenlet<Integer> failed;
        try (Recording recording = new Recording()) {
            recording.enable("dev.gevent.GreenletSpawn");
            recording.enable("dev.gevent.GreenletExit");
            recording.start();
            ok = Gevent.spawn(() -> 42);
            failed = Gevent.spawn(() -> {
                throw new IllegalStateException("on purpose");
            });
            Gevent.joinAll(List.of(ok, failed));
            recording.stop();
            recording.dump(file);
        }
        try {
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            Map<String, RecordedEvent> spawns = events.stream()
                    .filter(e -> e.getEventType().getName().equals("dev.gevent.GreenletSpawn"))
                    .collect(Collectors.toMap(e -> e.getString("greenlet"), e -> e, (a, b) -> a));
            Map<String, RecordedEvent> exits = events.stream()
                    .filter(e -> e.getEventType().getName().equals("dev.gevent.GreenletExit"))
                    .collect(Collectors.toMap(e -> e.getString("greenlet"), e -> e, (a, b) -> a));
            assertTrue(spawns.containsKey(ok.name()), spawns.keySet().toString());
            assertEquals(Gevent.getCurrent().name(), spawns.get(ok.name()).getString("spawnedBy"));
            assertEquals(Gevent.getHub().thread().getName(), spawns.get(ok.name()).getString("hub"));
            assertEquals("successful", exits.get(ok.name()).getString("outcome"));
            assertEquals(IllegalStateException.class.getName(), exits.get(failed.name()).getString("outcome"));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
