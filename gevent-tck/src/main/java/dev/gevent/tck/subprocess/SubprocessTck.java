package dev.gevent.tck.subprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Timeout;
import dev.gevent.subprocess.CalledProcessError;
import dev.gevent.subprocess.CompletedProcess;
import dev.gevent.subprocess.Popen;
import dev.gevent.subprocess.Subprocess;
import dev.gevent.subprocess.TimeoutExpired;
import dev.gevent.tck.GeventTck;
import dev.gevent.tck.OpenFileDescriptors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * gevent.subprocess: commands run, are fed and read, and are waited for while the other greenlets
 * keep running; failures are specific exceptions; a timeout or a kill leaves no child and no pipe.
 */
@GeventTck
public class SubprocessTck {

    @Test
    void runCapturesBothOutputsAndTheExitStatus() throws IOException {
        CompletedProcess r = Subprocess.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), null, Duration.ofSeconds(10), false);
        assertEquals(3, r.returncode());
        assertEquals("out\n", r.stdoutText());
        assertEquals("err\n", r.stderrText());
    }

    @Test
    void otherGreenletsRunWhileAGreenletWaitsForAChild() throws IOException {
        Greenlet<String> other = Gevent.spawn(() -> "ran");
        Subprocess.run("sleep", "0.2");
        // The main greenlet never yielded but by waiting: the other greenlet ran meanwhile.
        assertTrue(other.dead(), "the hub ran other greenlets while the child ran");
    }

    @Test
    void aMegabyteThroughCatNeitherDeadlocksNorLosesBytes() throws IOException {
        byte[] input = new byte[1 << 20];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) (i * 7);
        }
        CompletedProcess r = Subprocess.run(List.of("cat"), input, Duration.ofSeconds(20), true);
        assertArrayEquals(input, r.stdout());
    }

    @Test
    void popenStreamsLineByLine() throws IOException {
        try (Popen cat = Popen.start("cat")) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(cat.stdout(), StandardCharsets.UTF_8));
            for (String word : List.of("one", "two")) {
                cat.stdin().write((word + "\n").getBytes(StandardCharsets.UTF_8));
                assertEquals(word, lines.readLine());
            }
            cat.stdin().close();
            assertEquals(null, lines.readLine());
            assertEquals(0, cat.waitFor());
        }
    }

    @Test
    void aNonZeroExitIsCalledProcessErrorWithStatusAndOutput() {
        CalledProcessError e = assertThrows(CalledProcessError.class,
                () -> Subprocess.run(List.of("sh", "-c", "echo partial; echo boom >&2; exit 2"), null, null, true));
        assertEquals(2, e.returncode());
        assertEquals("partial\n", new String(e.output(), StandardCharsets.UTF_8));
        assertTrue(e.getMessage().contains("exit status 2") && e.getMessage().contains("boom"), e.getMessage());
        assertEquals(List.of("sh", "-c", "echo partial; echo boom >&2; exit 2"), e.command());
    }

    @Test
    void aMissingProgramIsAnIOExceptionNamingIt() {
        IOException e = assertThrows(IOException.class, () -> Subprocess.run("gevent-no-such-program", "x"));
        assertTrue(e.getMessage().contains("gevent-no-such-program"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Popen.start(List.of()));
    }

    @Test
    void aRunTimeoutKillsAndReapsTheChild() throws IOException {
        long fds = OpenFileDescriptors.count();
        TimeoutExpired e = assertThrows(TimeoutExpired.class,
                () -> Subprocess.run(List.of("sleep", "30"), null, Duration.ofMillis(200), false));
        assertEquals(Duration.ofMillis(200), e.timeout());
        assertTrue(ProcessHandle.current().children().noneMatch(p -> p.info().command().orElse("").endsWith("sleep")),
                "the child was killed and reaped");
        assertEquals(fds, OpenFileDescriptors.count(), "no pipe left open");
    }

    @Test
    void waitForWithATimeoutLeavesTheChildRunning() {
        try (Popen p = Popen.start("sleep", "30")) {
            assertThrows(TimeoutExpired.class, () -> p.waitFor(Duration.ofMillis(100)));
            assertEquals(null, p.poll());
            p.kill();
            assertTrue(p.waitFor() != 0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aGeventTimeoutInAnyWaitKillsTheChildOnClose() throws IOException {
        long fds = OpenFileDescriptors.count();
        Popen[] started = new Popen[1];
        Timeout t = Timeout.startNew(Duration.ofMillis(200));
        Timeout raised = assertThrows(Timeout.class, () -> {
            try (Popen p = Popen.start("sleep", "30")) {
                started[0] = p;
                p.stdout().readAllBytes();
            }
        });
        assertTrue(raised == t, "the Timeout itself is raised");
        assertFalse(started[0].process().isAlive(), "close() killed and reaped the child");
        assertEquals(fds, OpenFileDescriptors.count(), "no pipe left open");
    }
}
