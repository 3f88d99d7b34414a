package dev.gevent.socket;

import dev.gevent.internal.Config;
import dev.gevent.threadpool.ThreadPool;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * Cooperative name resolution (gevent: {@code gevent.resolver}). The JDK's resolver blocks its
 * thread in {@code getaddrinfo}, which would stall the whole hub; so by default it runs on the
 * hub's {@linkplain ThreadPool#forHub() thread pool} and only the calling greenlet waits, like
 * gevent's default {@code thread} resolver. Address literals are parsed at once.
 *
 * <p>The system property {@value #RESOLVER_PROPERTY} (or the environment variable
 * {@value #RESOLVER_ENV}) names the resolver, read on each call:
 * <ul>
 *   <li>{@code thread} (default): the JDK resolver on the hub's thread pool;
 *   <li>{@code block}: the JDK resolver on the calling thread, blocking the hub meanwhile (gevent's
 *       {@code block}: for debugging, or where lookups come only from /etc/hosts).
 * </ul>
 * Both honour the JDK's {@code InetAddress} cache and {@code java.net.spi.InetAddressResolverProvider}.
 */
public final class Dns {
    /** The system property naming the resolver. */
    public static final String RESOLVER_PROPERTY = "gevent.resolver";
    /** The environment variable naming the resolver when the property is not set. */
    public static final String RESOLVER_ENV = "GEVENT_RESOLVER";

    private Dns() {
    }

    /**
     * Every address of {@code host} (gevent: {@code getaddrinfo}), blocking only the calling greenlet.
     *
     * @param host a name or an address literal
     * @return its addresses, at least one, in the resolver's order
     * @throws UnknownHostException if it does not resolve
     * @throws IllegalArgumentException if {@value #RESOLVER_PROPERTY} names no resolver
     */
    public static InetAddress[] getAllByName(String host) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        InetAddress literal = literal(host);
        if (literal != null) {
            return new InetAddress[] {literal};
        }
        return resolve(host, () -> InetAddress.getAllByName(host));
    }

    /**
     * The first address of {@code host} (gevent: {@code gethostbyname}), blocking only the calling
     * greenlet.
     *
     * @param host a name or an address literal
     * @return its address
     * @throws UnknownHostException if it does not resolve
     * @throws IllegalArgumentException if {@value #RESOLVER_PROPERTY} names no resolver
     */
    public static InetAddress getByName(String host) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        InetAddress literal = literal(host);
        if (literal != null) {
            return literal;
        }
        return resolve(host, () -> InetAddress.getByName(host));
    }

    /** @return {@code address} with its host resolved if it was an unresolved InetSocketAddress */
    static SocketAddress resolved(SocketAddress address) throws UnknownHostException {
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            return new InetSocketAddress(getByName(inet.getHostString()), inet.getPort());
        }
        return address;
    }

    private static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.ofLiteral(h);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @FunctionalInterface
    private interface Lookup<T> {
        T get() throws UnknownHostException;
    }

    private static <T> T resolve(String host, Lookup<T> lookup) throws UnknownHostException {
        String resolver = Config.get(RESOLVER_PROPERTY, RESOLVER_ENV);
        String name = resolver == null ? "thread" : resolver.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "thread" -> onThreadPool(lookup);
            case "block" -> lookup.get();
            default -> throw new IllegalArgumentException(RESOLVER_PROPERTY + "=" + resolver
                    + ": no such resolver; expected thread (the default) or block");
        };
    }

    private static <T> T onThreadPool(Lookup<T> lookup) throws UnknownHostException {
        try {
            return ThreadPool.forHub().apply(lookup::get);
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UnknownHostException u) {
                throw u;
            }
            throw e;
        }
    }
}
