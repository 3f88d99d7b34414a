package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code dns_mass_resolve} example, on a platform thread of its own; only local names are looked up. */
class DnsMassResolveTest {

    private static List<String> run(String... args) throws Exception {
        LogCapture log = new LogCapture();
        Thread runner = Thread.ofPlatform().start(() -> {
            try {
                DnsMassResolve.run(args, log.stream());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        runner.join();
        return log.lines();
    }

    @Test
    @Timeout(30)
    void resolvesEveryLookupThroughAPoolWithinTheTimeout() throws Exception {
        List<String> lines = run("--count", "200", "--pool", "20", "--timeout", "20", "localhost", "127.0.0.1");
        assertEquals("finished within 20.0 seconds: 200/200", lines.getLast());
        assertEquals(200, lines.size() - 1);
        assertEquals(100, lines.stream().filter(l -> l.equals("localhost = 127.0.0.1") || l.equals("localhost = 0:0:0:0:0:0:0:1")).count());
        assertEquals(100, lines.stream().filter(l -> l.equals("127.0.0.1 = 127.0.0.1")).count());
    }

    @Test
    @Timeout(30)
    void takesTheNamesOfAHostsFileWhenNoneIsGiven(@TempDir Path dir) throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "# a comment\n127.0.0.1 localhost   # trailing comment\n\n::1 localhost ip6-localhost-not-resolved-here\n");
        assertEquals(List.of("localhost", "ip6-localhost-not-resolved-here"), DnsMassResolve.hostNames(hosts));
        Path onlyLocalhost = dir.resolve("hosts2");
        Files.writeString(onlyLocalhost, "127.0.0.1 localhost\n");
        List<String> lines = run("--count", "3", "--hosts", onlyLocalhost.toString(), "--timeout", "20");
        assertEquals("finished within 20.0 seconds: 3/3", lines.getLast());
        assertTrue(lines.subList(0, 3).stream().allMatch(l -> l.startsWith("localhost = ")), lines.toString());
    }

    @Test
    void rejectsArgumentsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> DnsMassResolve.run(new String[] {"--count"}, System.out));
        assertThrows(IllegalArgumentException.class, () -> DnsMassResolve.run(new String[] {"--pool", "0", "x"}, System.out));
        assertThrows(IllegalArgumentException.class, () -> DnsMassResolve.run(new String[] {"--bogus", "1"}, System.out));
    }
}
