package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.pool.Pool;
import dev.gevent.socket.Dns;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * gevent's {@code examples/dns_mass_resolve.py}: COUNT lookups through {@link Dns}, at most POOL
 * at a time in a {@link Pool}, all under one {@link Timeout}; whatever has not finished when it
 * fires is abandoned, and the count of those that did is printed. The names cycle through the ones
 * given, else the names of a hosts file ({@code /etc/hosts}), so that no lookup leaves the machine.
 *
 * <p>Run: {@code java -jar gevent-examples.jar dns_mass_resolve [--count N] [--pool N]
 * [--timeout SECONDS] [--hosts FILE] [NAME...]} (defaults: 1000 lookups, a pool of 20, 2 seconds).
 */
public final class DnsMassResolve {
    /** The arguments after the example's name. */
    public static final String USAGE = "[--count N] [--pool N] [--timeout SECONDS] [--hosts FILE] [NAME...]";

    private DnsMassResolve() {
    }

    /**
     * @param args {@value #USAGE}
     * @throws IOException if the hosts file cannot be read
     */
    public static void main(String[] args) throws IOException {
        run(args, System.out);
    }

    /**
     * Runs the lookups in the calling thread's hub, printing to {@code out}.
     *
     * @param args {@value #USAGE}
     * @param out where each result and the summary go
     * @return how many lookups finished in time
     * @throws IOException if the hosts file cannot be read
     */
    public static int run(String[] args, PrintStream out) throws IOException {
        int count = 1000;
        int poolSize = 20;
        Duration limit = Duration.ofSeconds(2);
        Path hosts = Path.of("/etc/hosts");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && i + 1 == args.length) {
                throw new Args.Bad(a + " needs a value");
            }
            switch (a) {
                case "--count" -> count = Args.count(args[++i], "lookups", 1, 1_000_000);
                case "--pool" -> poolSize = Args.count(args[++i], "greenlets in the pool", 1, 10_000);
                case "--timeout" -> limit = Args.seconds(args[++i]);
                case "--hosts" -> hosts = Path.of(args[++i]);
                default -> {
                    if (a.startsWith("-")) {
                        throw new Args.Bad("unknown option: " + a);
                    }
                    names.add(a);
                }
            }
        }
        if (names.isEmpty()) {
            names.addAll(hostNames(hosts));
            if (names.isEmpty()) {
                throw new Args.Bad("no NAME given and no host name in " + hosts);
            }
        }
        int[] finished = {0};
        try (Hub _ = Gevent.getHub(); Pool pool = new Pool(poolSize)) {
            try (Timeout _ = Timeout.startNew(limit)) {
                for (int i = 0; i < count; i++) {
                    String name = names.get(i % names.size());
                    pool.spawn(() -> {
                        try {
                            InetAddress address = Dns.getByName(name);
                            out.println(name + " = " + address.getHostAddress());
                        } catch (UnknownHostException e) {
                            out.println(name + " failed with " + e.getMessage());
                        } finally {
                            finished[0]++;
                        }
                    });
                }
                pool.join();
            } catch (Timeout t) {
                // gevent's Timeout(2, False): the lookups still running are abandoned (the pool kills them)
            }
        }
        out.printf("finished within %s seconds: %d/%d%n", limit.toMillis() / 1000.0, finished[0], count);
        return finished[0];
    }

    /** @return the host names of a hosts file, in order, without duplicates or comments */
    static List<String> hostNames(Path hosts) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (String line : Files.readAllLines(hosts)) {
            String[] fields = line.replaceFirst("#.*", "").trim().split("\\s+");
            for (int i = 1; i < fields.length; i++) {
                names.add(fields[i]);
            }
        }
        return List.copyOf(names);
    }
}
