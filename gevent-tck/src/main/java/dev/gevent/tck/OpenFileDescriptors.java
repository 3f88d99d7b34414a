package dev.gevent.tck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Counts this process's open file descriptors, for the TCK's leak tests: where the platform does
 * not list them in /proc, the test that asks is skipped.
 */
public final class OpenFileDescriptors {
    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenFileDescriptors() {
    }

    /**
     * @return how many descriptors are open now
     * @throws IOException if /proc cannot be read
     * @throws org.opentest4j.TestAbortedException (skips the test) where /proc does not list them
     */
    public static long count() throws IOException {
        assumeTrue(Files.isDirectory(FDS), "open file descriptors cannot be counted here: no " + FDS);
        try (Stream<Path> entries = Files.list(FDS)) {
            return entries.count();
        }
    }
}
