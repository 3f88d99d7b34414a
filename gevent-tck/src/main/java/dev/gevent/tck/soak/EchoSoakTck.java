package dev.gevent.tck.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.tck.GeventTck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak of issue 9 on the loop under test, bounded for CI: 2,000 connections (two server hubs,
 * one client hub) echo messages of random sizes for 5 seconds while 10% of the clients reset,
 * half-close or stall; afterwards no client that did not reset saw an error, the server failed only
 * on reset connections, no file descriptor and no greenlet is left, and the used heap is back
 * within 10% of where it started. {@code -Dgevent.soak.seconds} and
 * {@code -Dgevent.soak.connections} change the length and the size; {@link EchoSoak#main} runs the
 * 60-second benchmark.
 */
@GeventTck
public class EchoSoakTck {
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void connectionsWithMisbehavingClientsLeaveNoErrorNoDescriptorNoGreenletAndNoHeapBehind() throws Exception {
        SoakConfig config = SoakConfig.standard()
                .withDuration(Duration.ofSeconds(Long.getLong("gevent.soak.seconds", 5)))
                .withConnections(Integer.getInteger("gevent.soak.connections", 2000));
        SoakReport report = new EchoSoak(config).run();
        assertEquals(List.of(), report.problems(), report::toString);
        for (Kind kind : List.of(Kind.RESET, Kind.HALF_CLOSE, Kind.STALL)) {
            assertTrue(report.events().get(kind) > 0, () -> "no client did " + kind + ": " + report);
        }
        System.out.println(report);
    }
}
