package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.tck.OpenFileDescriptors;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sockets give back their file descriptors: after ten thousand connect/accept/close cycles, and
 * after a thousand clients killed while connecting or while reading, the process has no more
 * descriptors open than before. Counted in /proc/self/fd, so skipped where that is missing.
 *
 * <p>Each count follows a warm-up of the same cycles, so that whatever the JDK opens once and keeps
 * (a jar of a class loaded on first use, the selector's own descriptors) is already open at the
 * first count; and each count follows {@link Gevent#idle()}, which lets the loop poll once more,
 * because a selector releases a closed channel's descriptor in its next select. Then no slack is
 * needed: a leak of one descriptor in ten thousand cycles fails. The count may end lower than it
 * began, as what earlier tests left behind in the same JVM finishes closing.
 */
@GeventTck
public class SocketLeakTck {
    private static final int WARM_UP = 100;

    @BeforeEach
    void requireProcFs() {
    }

    @Test
    void tenThousandConnectAcceptCloseCyclesLeaveNoDescriptorOpen() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4()) {
            InetSocketAddress address = server.localAddress();
            for (int i = 0; i < WARM_UP; i++) {
                connectAcceptClose(server, address);
            }
            long before = settledCount();
            for (int i = 0; i < 10_000; i++) {
                connectAcceptClose(server, address);
            }
            long after = settledCount();
            assertTrue(after <= before, () -> "descriptors open: " + before + " before 10,000 cycles, " + after + " after");
        }
    }

    private static void connectAcceptClose(ServerSocket server, InetSocketAddress address) throws Exception {
        Socket client = Socket.connect(address);
        Socket accepted = server.accept();
        accepted.sendAll(new byte[] {1});
        assertEquals(1, client.recv(1).length);
        client.close();
        accepted.close();
    }

    @Test
    void clientsKilledWhileConnectingOrReadingLeaveNoDescriptorOpen() throws Exception {
        // A listener that never accepts, with the smallest backlog: once its queue is full the kernel
        // drops further handshakes, so a connect to it stays pending until killed.
        try (ServerSocket silent = ServerSocket.bind(new InetSocketAddress(Loopback.IPV4, 0), 1, false);
                ServerSocket server = Loopback.listenIpv4()) {
            Kills warmUp = new Kills();
            for (int i = 0; i < WARM_UP; i++) {
                warmUp.cycle(i, silent.localAddress(), server);
            }
            long before = settledCount();
            Kills kills = new Kills();
            for (int i = 0; i < 1_000; i++) {
                kills.cycle(i, silent.localAddress(), server);
            }
            long after = settledCount();
            assertTrue(after <= before, () -> "descriptors open: " + before + " before 1,000 killed clients, " + after + " after");
            assertTrue(kills.midConnect > 0, "no client was killed while its connect was pending");
        }
    }

    /** Kills clients, one per cycle, at alternate points: while connecting and while reading. */
    private static final class Kills {
        int midConnect;

        void cycle(int i, InetSocketAddress silent, ServerSocket server) throws Exception {
            AtomicReference<Socket> opened = new AtomicReference<>();
            if (i % 2 == 0) {
                Greenlet<Void> client = blockedClient(silent, opened);
                Gevent.sleep();
                assertFalse(client.dead(), "the client is blocked in connect or read");
                if (opened.get() == null) {
                    midConnect++;
                }
                killAndCheck(client, opened);
            } else {
                Greenlet<Void> client = blockedClient(server.localAddress(), opened);
                try (Socket accepted = server.accept()) {
                    // Until the loop has nothing left to run, the client goes on into its read.
                    Gevent.idle();
                    assertFalse(client.dead(), "the client is blocked in read");
                    assertNotNull(opened.get(), "the client is connected");
                    killAndCheck(client, opened);
                    assertEquals(0, accepted.recv(1).length, "the killed client's socket was closed");
                }
            }
        }

        /** A client that connects and then waits for a byte that never comes. */
        private static Greenlet<Void> blockedClient(InetSocketAddress address, AtomicReference<Socket> opened) {
            return Gevent.spawn(() -> {
                try (Socket socket = Socket.connect(address)) {
                    opened.set(socket);
                    socket.recv(1);
                }
            });
        }

        private static void killAndCheck(Greenlet<Void> client, AtomicReference<Socket> opened) {
            client.kill();
            assertTrue(client.dead());
            assertTrue(client.exception() == null || client.exception() instanceof GreenletExit,
                    () -> "the kill ended the client, nothing else did: " + client.exception());
            Socket socket = opened.get();
            if (socket != null) {
                assertFalse(socket.isOpen());
            }
        }
    }

    /** @return the descriptors open once the loop has polled again, releasing those of closed channels */
    private static long settledCount() throws Exception {
        Gevent.idle();
        return OpenFileDescriptors.count();
    }
}
