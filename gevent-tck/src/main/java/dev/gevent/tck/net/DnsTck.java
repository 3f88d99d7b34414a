package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.event.AsyncResult;
import dev.gevent.socket.Dns;
import dev.gevent.tck.GeventTck;
import dev.gevent.threadpool.ThreadPool;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Cooperative name resolution, gevent's {@code gevent.resolver}: address literals (IPv4, IPv6,
 * bracketed IPv6) are parsed at once, without waiting, even in a hub callback; names resolve
 * through the JDK resolver on the hub's thread pool, so a lookup blocks only its greenlet (the
 * default {@code thread} resolver), while {@code gevent.resolver=block} resolves on the calling
 * thread; {@code localhost} is a loopback address, a name under {@code .invalid} is
 * {@link UnknownHostException}, and an unknown resolver name is refused with a message that names
 * the setting and the choices.
 *
 * <p>The resolver is chosen by a system property read on each lookup; the tests that set it
 * restore it, and TCK classes run one at a time (the surefire configuration runs no tests in
 * parallel).
 */
@GeventTck
public class DnsTck {
    private static final String NOWHERE = "no-such-host.invalid";
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void anIpv4LiteralIsItsOwnAddress() throws Exception {
        InetAddress expected = InetAddress.ofLiteral("127.0.0.1");
        assertEquals(expected, Dns.getByName("127.0.0.1"));
        assertArrayEquals(new InetAddress[] {expected}, Dns.getAllByName("127.0.0.1"));
    }

    @Test
    void anIpv6LiteralIsItsOwnAddressWithOrWithoutBrackets() throws Exception {
        InetAddress expected = InetAddress.ofLiteral("::1");
        assertEquals(expected, Dns.getByName("::1"));
        assertEquals(expected, Dns.getByName("[::1]"));
        assertArrayEquals(new InetAddress[] {expected}, Dns.getAllByName("::1"));
        assertArrayEquals(new InetAddress[] {expected}, Dns.getAllByName("[::1]"));
        assertEquals(InetAddress.ofLiteral("fe80::1:2"), Dns.getByName("[fe80::1:2]"));
    }

    @Test
    void literalsAreParsedWithoutWaitingEvenInAHubCallback() throws Exception {
        // A hub callback must not block: a literal that went through the thread pool would fail here.
        AsyncResult<List<InetAddress>> parsed = new AsyncResult<>();
        Gevent.getHub().callSoon(() -> {
            try {
                parsed.set(List.of(Dns.getByName("10.1.2.3"), Dns.getByName("[::1]"), Dns.getAllByName("::ffff:1.2.3.4")[0]));
            } catch (Throwable e) {
                parsed.setException(e);
            }
        });
        assertEquals(List.of(InetAddress.ofLiteral("10.1.2.3"), InetAddress.ofLiteral("::1"),
                InetAddress.ofLiteral("::ffff:1.2.3.4")), parsed.get(LIMIT));
    }

    @Test
    void localhostResolvesToLoopbackAddresses() throws Exception {
        assertTrue(Dns.getByName("localhost").isLoopbackAddress());
        InetAddress[] all = Dns.getAllByName("localhost");
        assertTrue(all.length >= 1);
        for (InetAddress address : all) {
            assertTrue(address.isLoopbackAddress(), () -> address + " is not a loopback address");
        }
    }

    @Test
    void aNameUnderInvalidIsUnknownHostException() {
        // RFC 6761 reserves .invalid: no resolver may answer it.
        assertThrows(UnknownHostException.class, () -> Dns.getByName(NOWHERE));
        assertThrows(UnknownHostException.class, () -> Dns.getAllByName(NOWHERE));
    }

    @Test
    void aNullHostIsRefusedWithNullPointerException() {
        assertThrows(NullPointerException.class, () -> Dns.getByName(null));
        assertThrows(NullPointerException.class, () -> Dns.getAllByName(null));
    }

    @Test
    void lookupsBlockOnlyTheirGreenletsWhileTheHubRunsOthers() throws Exception {
        ThreadPool pool = ThreadPool.forHub();
        CountDownLatch release = new CountDownLatch(1);
        try {
            // With every pool thread held, a lookup that runs on the pool has to wait for one.
            for (int i = 0; i < pool.maxThreads(); i++) {
                pool.spawn(() -> {
                    release.await();
                    return null;
                });
            }
            List<Greenlet<InetAddress>> lookups = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                lookups.add(Gevent.spawn(() -> Dns.getByName("localhost")));
            }
            Greenlet<String> other = Gevent.spawn(() -> "ran");
            Gevent.sleep();
            assertTrue(lookups.stream().noneMatch(Greenlet::dead), "every lookup waits for the pool");
            assertEquals("ran", other.get(), "another greenlet ran while the lookups waited");
            release.countDown();
            for (Greenlet<InetAddress> lookup : lookups) {
                assertTrue(lookup.get(LIMIT).isLoopbackAddress());
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void theBlockResolverResolvesOnTheCallingThread() throws Throwable {
        ThreadPool pool = ThreadPool.forHub();
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (int i = 0; i < pool.maxThreads(); i++) {
                pool.spawn(() -> {
                    release.await();
                    return null;
                });
            }
            withResolver("block", () -> {
                // Every pool thread is held: only a lookup on this thread can answer.
                InetAddress address = Gevent.withTimeout(LIMIT, () -> Dns.getByName("localhost"));
                assertTrue(address.isLoopbackAddress());
                assertTrue(Gevent.withTimeout(LIMIT, () -> Dns.getAllByName("localhost"))[0].isLoopbackAddress());
                assertThrows(UnknownHostException.class, () -> Dns.getByName(NOWHERE));
            });
        } finally {
            release.countDown();
        }
    }

    @Test
    void theThreadResolverCanBeNamedExplicitly() throws Throwable {
        withResolver("thread", () -> assertTrue(Dns.getByName("localhost").isLoopbackAddress()));
    }

    @Test
    void anUnknownResolverNameIsRefusedNamingTheSettingAndTheChoices() throws Throwable {
        withResolver("ares", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dns.getByName("localhost"));
            String message = e.getMessage();
            for (String part : List.of(Dns.RESOLVER_PROPERTY, "ares", "thread", "block")) {
                assertTrue(message.contains(part), () -> "the message names " + part + ": " + message);
            }
            assertThrows(IllegalArgumentException.class, () -> Dns.getAllByName("localhost"));
            assertEquals(InetAddress.ofLiteral("127.0.0.1"), Dns.getByName("127.0.0.1"),
                    "a literal needs no resolver");
        });
        assertFalse("ares".equals(System.getProperty(Dns.RESOLVER_PROPERTY)), "the property was restored");
    }

    /** Runs {@code body} with {@value Dns#RESOLVER_PROPERTY} set to {@code name}, then restores it. */
    private static void withResolver(String name, Executable body) throws Throwable {
        String saved = System.getProperty(Dns.RESOLVER_PROPERTY);
        System.setProperty(Dns.RESOLVER_PROPERTY, name);
        try {
            body.execute();
        } finally {
            if (saved == null) {
                System.clearProperty(Dns.RESOLVER_PROPERTY);
            } else {
                System.setProperty(Dns.RESOLVER_PROPERTY, saved);
            }
        }
    }
}
