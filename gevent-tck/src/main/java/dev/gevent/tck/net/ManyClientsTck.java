package dev.gevent.tck.net;

import static dev.gevent.tck.net.EchoPeer.readToEnd;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.event.Event;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One hub serves a thousand concurrent connections of its own greenlets, as a gevent server does:
 * one accept loop spawns a handler greenlet per connection, a thousand client greenlets are
 * connected at the same moment, each gets its own message echoed back, and afterwards every
 * socket on both sides is closed.
 */
@GeventTck
public class ManyClientsTck {
    private static final int CLIENTS = 1_000;

    @Test
    void aThousandClientsConnectedAtOnceEachGetTheirOwnEcho() throws Exception {
        requireDescriptors(2 * CLIENTS + 100);
        List<Socket> accepted = new ArrayList<>();
        List<Socket> connected = new ArrayList<>();
        List<Greenlet<Long>> handlers = new ArrayList<>();
        Event allConnected = new Event();
        ServerSocket server = Loopback.listenIpv4();
        InetSocketAddress address = server.localAddress();
        Greenlet<Integer> acceptLoop = Gevent.spawn(() -> {
            while (true) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (AsynchronousCloseException closed) {
                    // How a server stops: its listener is closed under its accept.
                    return accepted.size();
                }
                accepted.add(socket);
                handlers.add(Gevent.spawn(() -> {
                    try (socket) {
                        return EchoPeer.echo(socket);
                    }
                }));
            }
        });

        List<Greenlet<String>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String message = message(i);
            clients.add(Gevent.spawn(() -> {
                try (Socket client = Socket.connect(address)) {
                    connected.add(client);
                    if (connected.size() == CLIENTS) {
                        allConnected.set();
                    }
                    // No one talks before everyone is connected: all thousand are open at once.
                    allConnected.await();
                    client.sendAll(message.getBytes(US_ASCII));
                    client.shutdownOutput();
                    return new String(readToEnd(client), US_ASCII);
                }
            }));
        }
        Gevent.joinAll(clients, null, true);
        for (int i = 0; i < CLIENTS; i++) {
            assertEquals(message(i), clients.get(i).get());
        }

        Gevent.joinAll(handlers, null, true);
        server.close();
        assertEquals(CLIENTS, acceptLoop.get(), "connections accepted before the listener closed");
        assertEquals(CLIENTS, connected.size());
        long sent = 0;
        long echoed = 0;
        for (int i = 0; i < CLIENTS; i++) {
            sent += message(i).length();
            echoed += handlers.get(i).get();
        }
        assertEquals(sent, echoed, "bytes the handlers echoed");
        for (Socket socket : connected) {
            assertFalse(socket.isOpen(), () -> socket + " is closed");
        }
        for (Socket socket : accepted) {
            assertFalse(socket.isOpen(), () -> socket + " is closed");
        }
    }

    private static String message(int client) {
        return "client " + client + " says hello";
    }

    /** Skips where the process may not open {@code needed} more descriptors. */
    private static void requireDescriptors(long needed) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
            assumeTrue(free >= needed, () -> "needs " + needed + " free file descriptors, the limit leaves " + free);
        }
    }
}
