package dev.gevent.tck.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this process's open file descriptors, where the platform lists them in /proc. */
final class OpenDescriptors {
    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenDescriptors() {
    }

    static boolean countable() {
        return Files.isDirectory(FDS);
    }

    /** @return how many descriptors are open (the directory stream that lists them included) */
    static long count() throws IOException {
        try (Stream<Path> entries = Files.list(FDS)) {
            return entries.count();
        }
    }
}
