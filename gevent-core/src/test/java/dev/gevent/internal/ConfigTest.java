package dev.gevent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConfigTest {
    @Test
    void parsesSecondsUnitsAndIso() {
        assertEquals(Duration.ofMillis(5), Config.parseDuration("x", "0.005"));
        assertEquals(Duration.ofMillis(5), Config.parseDuration("x", "5ms"));
        assertEquals(Duration.ofNanos(200_000), Config.parseDuration("x", "200us"));
        assertEquals(Duration.ofSeconds(1), Config.parseDuration("x", "1s"));
        assertEquals(Duration.ofMillis(5), Config.parseDuration("x", "PT0.005S"));
    }

    @Test
    void rejectsGarbageAndNonPositiveWithTheSettingName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Config.parseDuration("gevent.switchInterval", "fast"));
        assertTrue(e.getMessage().contains("gevent.switchInterval=fast"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Config.parseDuration("x", "0"));
        assertThrows(IllegalArgumentException.class, () -> Config.parseDuration("x", "-1ms"));
    }
}
