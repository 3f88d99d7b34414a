package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code threadpool} example, on a platform thread of its own that becomes its hub's. */
class ThreadPoolExampleTest {

    @Test
    @Timeout(30)
    void sleepsRunOnPoolThreadsWhileTheHubTicks() throws Exception {
        LogCapture log = new LogCapture();
        Thread runner = Thread.ofPlatform().start(() -> ThreadPoolExample.run(new String[] {"4", "2", "0.2"}, log.stream()));
        runner.join();
        String line = log.lines().getFirst();
        Matcher m = Pattern.compile("threadpool: 4 x Thread.sleep\\(200 ms\\) on 2 pool threads took (\\d+) ms"
                + " \\(about 400 ms expected\\); the hub ticked (\\d+) times meanwhile").matcher(line);
        assertTrue(m.matches(), line);
        assertTrue(Long.parseLong(m.group(1)) >= 400, "two rounds of 200 ms on two threads: " + line);
        assertTrue(Integer.parseInt(m.group(2)) > 0, "the hub ran its ticker while the pool slept: " + line);
    }

    @Test
    void rejectsArgumentsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> ThreadPoolExample.run(new String[] {"4"}, System.out));
        assertThrows(IllegalArgumentException.class, () -> ThreadPoolExample.run(new String[] {"4", "0", "1"}, System.out));
    }
}
