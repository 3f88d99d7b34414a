package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.event.AsyncResult;
import dev.gevent.event.Event;
import dev.gevent.pool.Pool;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code gevent.server.StreamServer(spawn=pool)}: the server accepts only while its pool has room,
 * so at most the pool's size of handlers run at once and a further connection waits in the listen
 * backlog until a handler finishes. The pool's size and free count follow the connections being
 * served; a connection whose greenlet the pool kills before it ran is closed all the same; and
 * stopping the server while the pool is full ends its accept loop. Concurrency is read from
 * counters the handlers keep, never from timing.
 */
@GeventTck
public class StreamServerPoolTck {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(Loopback.IPV4, 0);
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @Test
    void theThirdConnectionIsServedOnlyWhenOneOfTwoHandlersFinishes() throws Exception {
        Pool pool = new Pool(2);
        HeldHandlers handlers = new HeldHandlers();
        try (StreamServer server = new StreamServer(ANY_PORT, handlers, pool)) {
            server.start();
            try (Socket first = Socket.connect(server.address());
                    Socket second = Socket.connect(server.address());
                    Socket third = Socket.connect(server.address())) {
                Event releaseFirst = handlers.nextEntered();
                Event releaseSecond = handlers.nextEntered();
                // Everything runnable has run: an unbounded server would have accepted the third by now.
                Gevent.idle();
                assertEquals(0, handlers.enteredNotTaken(), "a third handler began while two held the pool");
                assertEquals(2, handlers.running());

                releaseFirst.set();
                HeldHandlers.expectDone(first);
                Event releaseThird = handlers.nextEntered();
                assertEquals(2, handlers.running());

                releaseSecond.set();
                releaseThird.set();
                HeldHandlers.expectDone(second);
                HeldHandlers.expectDone(third);
                assertEquals(2, handlers.mostRunning());
                assertEquals(3, handlers.finished());
            }
        }
    }

    @Test
    void neverMoreHandlersRunThanThePoolHolds() throws Exception {
        int clients = 12;
        Pool pool = new Pool(2);
        HeldHandlers handlers = new HeldHandlers();
        try (StreamServer server = new StreamServer(ANY_PORT, handlers, pool)) {
            server.start();
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                all.add(Gevent.spawn(() -> {
                    try (Socket client = Socket.connect(server.address())) {
                        HeldHandlers.expectDone(client);
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                Event release = handlers.nextEntered();
                Gevent.idle();
                assertTrue(handlers.running() <= 2, () -> handlers.running() + " handlers run at once in a pool of 2");
                release.set();
            }
            for (Greenlet<Void> g : all) {
                g.get(PROMPTLY);
            }
            assertEquals(2, handlers.mostRunning());
            assertEquals(clients, handlers.finished());
        }
    }

    @Test
    void thePoolsSizeAndFreeCountFollowTheConnectionsBeingServed() throws Exception {
        Pool pool = new Pool(2);
        HeldHandlers handlers = new HeldHandlers();
        AsyncResult<Boolean> handlerIsAMember = new AsyncResult<>();
        try (StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
            if (!handlerIsAMember.ready()) {
                handlerIsAMember.set(pool.contains(Gevent.getCurrent()));
            }
            handlers.handle(socket, peer);
        }, pool)) {
            assertEquals(0, pool.size());
            assertEquals(2, pool.freeCount());
            server.start();
            assertEquals(0, pool.size(), "the accept loop is no member of the pool");
            try (Socket first = Socket.connect(server.address()); Socket second = Socket.connect(server.address())) {
                Event releaseFirst = handlers.nextEntered();
                assertTrue(handlerIsAMember.get(), "a handler runs in a greenlet of the pool");
                Event releaseSecond = handlers.nextEntered();
                assertEquals(2, pool.size());
                assertEquals(0, pool.freeCount());
                assertTrue(pool.full());

                releaseFirst.set();
                HeldHandlers.expectDone(first);
                Gevent.idle();
                assertEquals(1, pool.size());
                assertEquals(1, pool.freeCount());

                releaseSecond.set();
                HeldHandlers.expectDone(second);
                assertTrue(pool.join(PROMPTLY));
                assertEquals(0, pool.size());
                assertEquals(2, pool.freeCount());
            }
        }
    }

    @Test
    void aConnectionWhoseHandlerThePoolKillsBeforeItRanIsClosed() throws Exception {
        Pool pool = new Pool(1);
        HeldHandlers handlers = new HeldHandlers();
        AsyncResult<Greenlet<?>> firstHandler = new AsyncResult<>();
        try (StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
            if (!firstHandler.ready()) {
                firstHandler.set(Gevent.getCurrent());
            }
            handlers.handle(socket, peer);
        }, pool)) {
            server.start();
            try (Socket first = Socket.connect(server.address()); Socket second = Socket.connect(server.address())) {
                second.setTimeout(PROMPTLY);
                Event releaseFirst = handlers.nextEntered();
                Greenlet<?> firstGreenlet = firstHandler.get();
                // Yields until the second connection's greenlet has joined the pool: it was
                // started behind this greenlet's last yield, so it has not run yet.
                Greenlet<Integer> killer = Gevent.spawn(() -> {
                    while (pool.size() == 0 || pool.contains(firstGreenlet)) {
                        Gevent.sleep();
                    }
                    int runningWhenKilled = handlers.running();
                    pool.kill();
                    return runningWhenKilled;
                });
                releaseFirst.set();
                HeldHandlers.expectDone(first);
                assertEquals(0, killer.get(PROMPTLY), "the second handler ran before the pool was killed");
                assertEquals(0, handlers.running());
                HeldHandlers.expectClosedWithoutDone(second);
            }
        }
    }

    @Test
    void stoppingWhileThePoolIsFullEndsTheAcceptLoopAndLetsTheHandlersFinish() throws Exception {
        Pool pool = new Pool(2);
        HeldHandlers handlers = new HeldHandlers();
        StreamServer server = new StreamServer(ANY_PORT, handlers, pool);
        server.start();
        InetSocketAddress address = server.address();
        try (Socket first = Socket.connect(address); Socket second = Socket.connect(address)) {
            Event releaseFirst = handlers.nextEntered();
            Event releaseSecond = handlers.nextEntered();
            Greenlet<Void> serving = Gevent.spawn(() -> server.serveForever());
            Gevent.idle();
            assertFalse(serving.dead(), "serveForever returned while the server was running");

            server.stop();
            serving.get(PROMPTLY);
            assertFalse(server.started());
            assertThrows(ConnectException.class, () -> Socket.connect(address).close());
            assertEquals(2, handlers.running(), "stop() let the running handlers be");

            releaseFirst.set();
            releaseSecond.set();
            HeldHandlers.expectDone(first);
            HeldHandlers.expectDone(second);
            assertEquals(0, handlers.killed());
        }
    }
}
