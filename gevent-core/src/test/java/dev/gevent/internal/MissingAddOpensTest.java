package dev.gevent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A JVM started without {@code --add-opens java.base/java.lang=ALL-UNNAMED} fails at hub creation, naming the flag. */
@Timeout(60)
class MissingAddOpensTest {
    /** Run in the child JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                dev.gevent.Gevent.getHub();
                System.out.println("NO FAILURE");
            } catch (IllegalStateException e) {
                System.out.println("FAILED: " + e.getMessage());
            }
        }
    }

    @Test
    void hubCreationNamesTheMissingFlag() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName()))
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(50, TimeUnit.SECONDS), "the child JVM did not exit");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("FAILED: ") && out.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), out);
    }
}
