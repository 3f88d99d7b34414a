package dev.gevent.tck.loop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this process's open file descriptors, where the platform shows them in /proc. */
final class Descriptors {
    private static final Path FDS = Path.of("/proc/self/fd");

    private Descriptors() {
    }

    static boolean countable() {
        return Files.isDirectory(FDS);
    }

    static long open() throws IOException {
        try (Stream<Path> entries = Files.list(FDS)) {
            return entries.count();
        }
    }
}
