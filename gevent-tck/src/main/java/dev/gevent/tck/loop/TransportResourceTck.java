package dev.gevent.tck.loop;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.tck.OpenFileDescriptors;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import dev.gevent.tck.TckConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * File descriptors: closing sockets, and closing the loop with sockets still open and operations
 * pending, gives back every descriptor. Counted in /proc/self/fd, so skipped where that is missing.
 */
@Timeout(value = 30, unit = SECONDS)
public class TransportResourceTck {
    /** Room for descriptors the JVM itself opens meanwhile (class files, JIT logs). */
    private static final long SLACK = 5;

    @BeforeEach
    void requireProcFs() {
    }

    @Test
    void thousandConnectionsLeaveNoDescriptorBehind() throws Exception {
        try (Harness h = Harness.open()) {
            for (int i = 0; i < 20; i++) {
                connectAndClose(h);
            }
            h.loop.poll(0);
            long before = OpenFileDescriptors.count();
            for (int i = 0; i < 1_000; i++) {
                Harness.requireTimeLeft();
                connectAndClose(h);
            }
            // A loop may release a closed socket's descriptor in its next poll.
            h.loop.poll(0);
            long after = OpenFileDescriptors.count();
            assertTrue(after <= before + SLACK, () -> "descriptors open: " + before + " before, " + after + " after");
            assertEquals(0, h.loop.pendingOperations());
        }
    }

    private static void connectAndClose(Harness h) throws IOException {
        SocketHandle listener = h.listen();
        LocalPair pair = h.pair(listener);
        h.transport.close(pair.client());
        h.transport.close(pair.server());
        h.transport.close(listener);
    }

    @Test
    void closingTheLoopReleasesItsSocketsAndPendingOperations() throws Exception {
        openBusyLoopAndClose();
        long before = OpenFileDescriptors.count();
        for (int i = 0; i < 10; i++) {
            openBusyLoopAndClose();
        }
        long after = OpenFileDescriptors.count();
        assertTrue(after <= before + SLACK, () -> "descriptors open: " + before + " before, " + after + " after");
    }

    /** Opens a loop with a listener, a connection and a datagram socket, all with operations pending, and closes it. */
    private static void openBusyLoopAndClose() throws IOException {
        EventLoop loop = TckConfig.openLoop();
        Harness h = new Harness(loop);
        Transport t = loop.transport();
        SocketHandle listener = h.listen();
        LocalPair pair = h.pair(listener);
        SocketHandle datagram = t.openDatagram(new InetSocketAddress(Harness.IPV4_LOOPBACK, 0));
        Recorder accept = h.recorder();
        Recorder read = h.recorder();
        Recorder receive = h.recorder();
        assertNull(t.accept(listener, accept));
        assertEquals(Transport.PENDING, t.read(pair.server(), ByteBuffer.allocate(8), read));
        assertNull(t.receiveFrom(datagram, ByteBuffer.allocate(8), receive));
        Filled filled = h.fillUntilPending(pair.server());
        assertEquals(4, loop.pendingOperations());

        loop.close();

        for (Recorder r : new Recorder[] {accept, read, receive, filled.pending()}) {
            assertInstanceOf(AsynchronousCloseException.class, r.error());
        }
        assertEquals(0, loop.pendingOperations());
        for (SocketHandle s : new SocketHandle[] {listener, pair.client(), pair.server(), datagram}) {
            assertTrue(!s.isOpen(), () -> s + " is closed with its loop");
        }
    }
}
