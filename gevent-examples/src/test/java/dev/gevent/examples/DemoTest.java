package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the demo in this JVM and checks what it prints. */
class DemoTest {

    @Test
    @Timeout(30)
    void demoPrintsItsKeyLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Demo.run(out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = output.lines().toList();

        assertTrue(lines.stream().anyMatch(line -> line.matches("loop: (nio|epoll|io_uring)")), () -> "no loop name in:\n" + output);
        assertTrue(output.contains("timeout: fired after"), () -> "the Timeout did not fire:\n" + output);
        assertTrue(output.contains("slow call -> fallback"), () -> "withTimeout did not fall back:\n" + output);
        assertTrue(output.contains("kill: sleeper dead=true successful=true"), () -> "the killed greenlet is not dead:\n" + output);

        // Run one after the other, the 50 naps would take 10 s; a loose bound keeps a busy machine green.
        Matcher sleepers = Pattern.compile("all done in (\\d+) ms").matcher(output);
        assertTrue(sleepers.find(), () -> "no Thread.sleep line in:\n" + output);
        long millis = Long.parseLong(sleepers.group(1));
        assertTrue(millis < 5_000, () -> "Thread.sleep did not cooperate: " + millis + " ms\n" + output);
    }
}
