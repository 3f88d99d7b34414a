package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** This process's open file descriptors, counted where the platform lists them in /proc. */
final class DescriptorCount {
    private static final Path FDS = Path.of("/proc/self/fd");

    private DescriptorCount() {
    }

    /**
     * @return how many descriptors are open now
     * @throws org.opentest4j.TestAbortedException (skips the test) where /proc does not list them
     */
    static long now() throws IOException {
        assumeTrue(Files.isDirectory(FDS), "open file descriptors cannot be counted here: no " + FDS);
        try (Stream<Path> entries = Files.list(FDS)) {
            return entries.count();
        }
    }
}
