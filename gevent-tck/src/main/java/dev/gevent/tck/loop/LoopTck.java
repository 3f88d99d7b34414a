package dev.gevent.tck.loop;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * What every loop SPI test class shares: a fresh {@link Harness} (an event loop of the loop under
 * test, polled by the test thread) per test, closed afterwards, and a time limit.
 */
@Timeout(value = 30, unit = SECONDS)
abstract class LoopTck {
    Harness h;

    @BeforeEach
    void openLoop() {
        h = Harness.open();
    }

    @AfterEach
    void closeLoop() throws IOException {
        h.close();
    }
}
