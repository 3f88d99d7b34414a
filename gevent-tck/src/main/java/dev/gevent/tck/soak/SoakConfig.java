package dev.gevent.tck.soak;

import java.time.Duration;

/**
 * What an {@link EchoSoak} runs.
 *
 * @param connections how many clients, each with one connection at a time
 * @param duration how long they echo
 * @param misbehavingShare the share of clients that reset, half-close or stall (0 to 1)
 * @param serverHubs the server's hubs ({@code StreamServer.hubs(n)}), at least one
 * @param clientHubs the hubs the clients run on, at least one
 * @param maxMessage the largest message, in bytes; small enough for the socket buffers, since a
 *     client writes a whole message before it reads the echo
 * @param seed the seed of the clients' random sizes and contents
 */
public record SoakConfig(int connections, Duration duration, double misbehavingShare, int serverHubs, int clientHubs,
        int maxMessage, long seed) {
    /** Checks the values. */
    public SoakConfig {
        if (connections < 1 || serverHubs < 1 || clientHubs < 1 || maxMessage < 2 || maxMessage > 64 * 1024) {
            throw new IllegalArgumentException("soak: connections, serverHubs and clientHubs at least 1, maxMessage 2 to 65,536; got "
                    + connections + ", " + serverHubs + ", " + clientHubs + ", " + maxMessage);
        }
        if (duration.isNegative() || duration.isZero() || !(misbehavingShare >= 0 && misbehavingShare <= 1)) {
            throw new IllegalArgumentException("soak: a positive duration and a share from 0 to 1; got " + duration + ", "
                    + misbehavingShare);
        }
    }

    /** @return issue 9's soak: 2,000 connections for 60 s, 10% misbehaving, 2 server hubs, 16 KiB messages */
    public static SoakConfig standard() {
        return new SoakConfig(2000, Duration.ofSeconds(60), 0.10, 2, 1, 16 * 1024, 1);
    }

    /** @return this, with {@code n} connections */
    public SoakConfig withConnections(int n) {
        return new SoakConfig(n, duration, misbehavingShare, serverHubs, clientHubs, maxMessage, seed);
    }

    /** @return this, running for {@code d} */
    public SoakConfig withDuration(Duration d) {
        return new SoakConfig(connections, d, misbehavingShare, serverHubs, clientHubs, maxMessage, seed);
    }

    /** @return this, with the server on {@code n} hubs */
    public SoakConfig withServerHubs(int n) {
        return new SoakConfig(connections, duration, misbehavingShare, n, clientHubs, maxMessage, seed);
    }
}
