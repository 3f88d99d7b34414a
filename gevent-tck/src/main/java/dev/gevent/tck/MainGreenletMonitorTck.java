package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The main greenlet may block while it holds monitors: the hub then runs greenlets on the same
 * platform thread, and those greenlets take and hold monitors of their own across switches. Each
 * side's monitors stay its own (in gevent, a lock held around a blocking call is simply held).
 * A failure here shows as an IllegalMonitorStateException or a crash of the test JVM.
 */
@GeventTck
public class MainGreenletMonitorTck {

    @Test
    void monitorsHeldByTheMainGreenletAcrossBlockingCallsStayItsOwn() {
        Object mine = new Object();
        Object theirs = new Object();
        for (int round = 0; round < 2_000; round++) {
            Greenlet<Integer> g = Gevent.spawn(() -> {
                synchronized (theirs) {
                    synchronized (theirs) {
                        Gevent.sleep();
                        return 1;
                    }
                }
            });
            synchronized (mine) {
                synchronized (mine) {
                    Gevent.sleep();
                    assertTrue(Thread.holdsLock(mine));
                }
            }
            assertEquals(1, g.get());
        }
    }

    @Test
    void aBufferedReaderOnASocketWorksInTheMainGreenlet() throws Exception {
        try (ServerSocket server = ServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Greenlet<Void> peer = Gevent.spawn(() -> {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.inputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(s.outputStream(), true, StandardCharsets.UTF_8);
                    for (String line; (line = in.readLine()) != null; ) {
                        out.println("echo " + line);
                    }
                }
            });
            try (Socket client = Socket.connect(server.localAddress())) {
                BufferedReader in = new BufferedReader(new InputStreamReader(client.inputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(client.outputStream(), true, StandardCharsets.UTF_8);
                for (int i = 0; i < 200; i++) {
                    out.println("line " + i);
                    assertEquals("echo line " + i, in.readLine());
                }
                client.shutdownOutput();
                assertEquals(null, in.readLine());
            }
            peer.get();
        }
    }
}
