package dev.gevent.examples;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Command-line argument parsing shared by the examples. Each parser throws {@link Bad} for an
 * argument it cannot use; {@link Main} prints that with the example's usage and exits with
 * status 2.
 */
final class Args {
    private Args() {
    }

    /**
     * Arguments an example cannot use: the message says which and why. Examples throw it instead
     * of exiting, so that they can be run from tests.
     */
    static final class Bad extends IllegalArgumentException {
        Bad(String message) {
            super(message);
        }
    }

    /**
     * @param arg a decimal port number
     * @return the port, 0 to 65535 (0: any free port)
     * @throws Bad if it is not one
     */
    static int port(String arg) {
        int port;
        try {
            port = Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new Bad("not a port number: " + arg);
        }
        if (port < 0 || port > 0xFFFF) {
            throw new Bad("port out of range 0-65535: " + arg);
        }
        return port;
    }

    /**
     * Parses {@code HOST:PORT}, where HOST is a name, an IPv4 address or a bracketed IPv6 address
     * ({@code [::1]:9000}). The host is not resolved here: the sockets resolve it cooperatively.
     *
     * @param arg the argument
     * @return an unresolved address
     * @throws Bad if it is not of that form or the port is 0
     */
    static InetSocketAddress hostPort(String arg) {
        int colon = arg.lastIndexOf(':');
        if (colon <= 0 || colon == arg.length() - 1) {
            throw new Bad("expected HOST:PORT, got: " + arg);
        }
        String host = arg.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new Bad("an IPv6 address needs brackets, as in [::1]:9000; got: " + arg);
        }
        if (host.isEmpty()) {
            throw new Bad("expected HOST:PORT, got: " + arg);
        }
        int port = port(arg.substring(colon + 1));
        if (port == 0) {
            throw new Bad("cannot connect to port 0: " + arg);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * @param arg a whole number
     * @param what what it counts, for the message
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return the number
     * @throws Bad if it is not a number in range
     */
    static int count(String arg, String what, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new Bad("not a number of " + what + ": " + arg);
        }
        if (n < min || n > max) {
            throw new Bad("the number of " + what + " must be " + min + " to " + max + ", got: " + arg);
        }
        return n;
    }

    /**
     * @param arg seconds, as a decimal ({@code 0.5}, {@code 5})
     * @return the duration, more than zero
     * @throws Bad if it is not a positive number of seconds
     */
    static Duration seconds(String arg) {
        double seconds;
        try {
            seconds = Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new Bad("not a number of seconds: " + arg);
        }
        if (!(seconds > 0) || seconds > 3600) {
            throw new Bad("seconds must be more than 0 and at most 3600, got: " + arg);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
