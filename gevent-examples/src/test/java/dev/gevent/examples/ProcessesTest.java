package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code processes} example, on the platform thread of the test. */
class ProcessesTest {

    @Test
    @Timeout(30)
    void printsEachCommandsOutputsAndStatusInTheOrderGiven() throws Exception {
        LogCapture log = new LogCapture();
        Thread runner = Thread.ofPlatform().start(() -> {
            try {
                Processes.run(new String[] {"sleep 0.2; echo slow", "echo fast; echo oops >&2; exit 3"}, log.stream());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        runner.join();
        assertEquals(List.of("$ sleep 0.2; echo slow", "slow", "exit 0",
                "$ echo fast; echo oops >&2; exit 3", "fast", "stderr: oops", "exit 3"), log.lines());
    }
}
