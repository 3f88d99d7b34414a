package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A log an example writes to from its hub's thread, which a test reads from its own: it can wait
 * for a line to appear, so that the test synchronises on what the example did rather than on time.
 */
final class LogCapture {
    private final List<String> lines = new ArrayList<>();
    private final PrintStream stream = new PrintStream(new LineSink(), true, StandardCharsets.UTF_8);

    /** @return the stream to hand the example */
    PrintStream stream() {
        return stream;
    }

    /** @return the lines written so far */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits until a line containing {@code text} has been written, and returns it; fails the test
     * if none comes within {@code limit}.
     */
    synchronized String await(String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            for (String line : lines) {
                if (line.contains(text)) {
                    return line;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return fail("no line containing \"" + text + "\" within " + limit + "; the log:\n" + String.join("\n", lines));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    private final class LineSink extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                add(line.toString(StandardCharsets.UTF_8).stripTrailing());
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
