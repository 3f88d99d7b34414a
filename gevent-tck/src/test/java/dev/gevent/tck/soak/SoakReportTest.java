package dev.gevent.tck.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak's checks can fail: each kind of trouble a run may leave behind is a problem of its
 * report, and what a resetting client causes is not.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SoakReportTest {
    private static final SoakConfig CONFIG = SoakConfig.standard().withDuration(Duration.ofSeconds(1));

    @Test
    void aCleanRunHasNoProblemAndResetsAreNotProblems() {
        SoakReport.Builder b = clean();
        b.serverError(Kind.RESET, new SocketException("Connection reset"));
        b.serverError(null, new SocketException("Connection reset"));
        b.error(Kind.RESET, "a resetting client's own failure");
        assertEquals(List.of(), b.build().problems());
    }

    @Test
    void eachLeftoverAndEachErrorOfAClientThatDidNotResetIsAProblem() {
        assertProblem(withClientError(Kind.WELL_BEHAVED), "WELL_BEHAVED client");
        assertProblem(withClientError(Kind.HALF_CLOSE), "HALF_CLOSE client");
        assertProblem(withClientError(Kind.STALL), "STALL client");
        SoakReport.Builder serverSide = clean();
        serverSide.serverError(Kind.WELL_BEHAVED, new IOException("broken"));
        assertProblem(serverSide, "server handler");
        SoakReport.Builder beforeFirstByte = clean();
        beforeFirstByte.serverError(null, new IOException("not a reset"));
        assertProblem(beforeFirstByte, "server handler");
        SoakReport.Builder fds = clean();
        fds.fds(40, 41);
        assertProblem(fds, "file descriptor");
        SoakReport.Builder greenlets = clean();
        greenlets.greenletsLeft("server hubs", 1);
        assertProblem(greenlets, "greenlet");
        SoakReport.Builder heap = clean();
        heap.heap(100_000_000, 110_000_001);
        assertProblem(heap, "heap");
        assertProblem(new SoakReport.Builder(CONFIG), "no message");
    }

    @Test
    void misbehavingClientsAreSpreadEvenlyAndTakeTurns() {
        int[] counts = new int[Kind.values().length];
        for (int i = 0; i < 2000; i++) {
            counts[Kind.of(i, 0.10).ordinal()]++;
        }
        assertEquals(1800, counts[Kind.WELL_BEHAVED.ordinal()]);
        assertTrue(counts[Kind.RESET.ordinal()] >= 66 && counts[Kind.HALF_CLOSE.ordinal()] >= 66 && counts[Kind.STALL.ordinal()] >= 66);
        assertEquals(Kind.WELL_BEHAVED, Kind.of(0, 0.0));
        for (Kind k : Kind.values()) {
            assertEquals(k, Kind.ofTag(k.tag()));
        }
    }

    private static SoakReport.Builder clean() {
        SoakReport.Builder b = new SoakReport.Builder(CONFIG);
        b.message(100);
        b.fds(40, 40);
        b.heap(100_000_000, 110_000_000);
        b.greenletsLeft("client hubs", 0);
        return b;
    }

    private static SoakReport.Builder withClientError(Kind kind) {
        SoakReport.Builder b = clean();
        b.error(kind, "a " + kind + " client failed");
        return b;
    }

    private static void assertProblem(SoakReport.Builder b, String about) {
        List<String> problems = b.build().problems();
        assertEquals(1, problems.size(), () -> "one problem about " + about + ", got " + problems);
        assertTrue(problems.getFirst().contains(about), () -> problems + " should speak of " + about);
    }
}
