package dev.gevent.backend.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Accepts served by a listener's multishot accept: a burst of connections taken at once and kept
 * for later accepts, the accept stopped when too many wait, and the connections nobody claimed
 * closed with the listener. The clients are java.net sockets; the test thread polls the loop.
 */
@Timeout(30)
class MultishotAcceptTest {
    private final List<Socket> clients = new ArrayList<>();
    private IoUringEventLoop loop;
    private Transport transport;
    private IoUringSocket listener;
    private InetSocketAddress address;

    @BeforeAll
    static void requireMultishot() {
        MultishotKernel.assume();
    }

    @BeforeEach
    void open() throws IOException {
        loop = new IoUringEventLoop(true, 8, 64);
        transport = loop.transport();
        assertTrue(loop.multishot);
        listener = (IoUringSocket) transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128, false);
        address = (InetSocketAddress) transport.localAddress(listener);
    }

    @AfterEach
    void close() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        loop.close();
    }

    private void connectClients(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            Socket client = new Socket();
            clients.add(client);
            client.connect(address);
        }
    }

    private void pollUntil(BooleanSupplier condition) {
        MultishotKernel.pollUntil(loop, condition);
    }

    /** @return an accepted connection, waiting for it when the accept is pending */
    private SocketHandle accept() throws IOException {
        RecordingCompletion r = new RecordingCompletion();
        SocketHandle accepted = transport.accept(listener, r);
        if (accepted == null) {
            pollUntil(() -> r.done);
            if (r.error != null) {
                throw r.error;
            }
            accepted = (SocketHandle) r.value;
        }
        return accepted;
    }

    private int waiting() {
        return listener.accepted == null ? 0 : listener.accepted.size();
    }

    @Test
    void aBurstOfConnectionsIsTakenAtOnceAndKeptForLaterAccepts() throws IOException {
        connectClients(10);
        assertNotNull(accept());
        assertNotEquals(0, listener.multishot.userData, "the multishot accept stays in the kernel");
        pollUntil(() -> waiting() == 9);
        assertEquals(0, loop.pendingOperations(), "no accept waits: the multishot accept is not a pending operation");
        for (int i = 0; i < 9; i++) {
            assertNotNull(transport.accept(listener, new RecordingCompletion()), "a kept connection is accepted at once");
        }
        RecordingCompletion next = new RecordingCompletion();
        assertNull(transport.accept(listener, next), "then the accept waits");
        connectClients(1);
        pollUntil(() -> next.done);
        assertNotNull(next.value);
    }

    @Test
    void tooManyUnclaimedConnectionsStopTheAcceptAndNoneIsLost() throws IOException {
        int total = IoUringTransport.ACCEPTED_MAX + 6;
        connectClients(1);
        accept();
        connectClients(total - 1);
        pollUntil(() -> listener.multishot.userData == 0);
        assertTrue(waiting() >= IoUringTransport.ACCEPTED_MAX, () -> "stopped with " + waiting() + " waiting");
        for (int i = 1; i < total; i++) {
            assertNotNull(accept());
        }
        assertEquals(0, loop.pendingOperations());
    }

    @Test
    void aCancelledAcceptLeavesTheConnectionForTheNext() throws IOException {
        RecordingCompletion cancelled = new RecordingCompletion();
        assertNull(transport.accept(listener, cancelled));
        assertTrue(transport.cancel(listener, cancelled));
        assertEquals(0, loop.pendingOperations());
        connectClients(1);
        pollUntil(() -> waiting() == 1);
        assertTrue(!cancelled.done, "a cancelled accept is never completed");
        SocketHandle accepted = transport.accept(listener, new RecordingCompletion());
        assertEquals(clients.get(0).getLocalSocketAddress(), transport.remoteAddress(accepted));
    }

    @Test
    void closingTheListenerClosesTheConnectionsNobodyClaimed() throws IOException {
        connectClients(1);
        accept();
        connectClients(2);
        pollUntil(() -> waiting() == 2);
        transport.close(listener);
        for (Socket client : clients.subList(1, 3)) {
            client.setSoTimeout(10_000);
            assertEquals(-1, client.getInputStream().read(), "the unclaimed connection was closed");
        }
        assertEquals(0, loop.pendingOperations());
    }
}
