package dev.gevent.tck.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A socket's {@code inputStream()}/{@code outputStream()} (gevent: {@code makefile}) carry the
 * JDK's stream stack cooperatively: a line protocol over {@code BufferedReader}/{@code PrintWriter},
 * {@code DataInputStream.readFully} across several socket reads, single-byte {@code read()} with
 * unsigned values and -1 at the end; closing either stream closes the socket; and each call returns
 * the same stream object.
 */
@GeventTck
public class SocketStreamsTck {

    @Test
    void lineProtocolWorksOverBufferedReaderAndPrintWriter() throws Exception {
        List<String> lines = List.of("hello", "grüße, 世界", "", "bye");
        try (ServerSocket server = Loopback.listenIpv4()) {
            Greenlet<List<String>> peer = Gevent.spawn(() -> {
                List<String> heard = new ArrayList<>();
                try (Socket accepted = server.accept();
                        BufferedReader in = new BufferedReader(new InputStreamReader(accepted.inputStream(), UTF_8));
                        PrintWriter out = new PrintWriter(new OutputStreamWriter(accepted.outputStream(), UTF_8), true)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        heard.add(line);
                        out.println(line.toUpperCase(Locale.ROOT));
                        if (line.equals("bye")) {
                            break;
                        }
                    }
                }
                return heard;
            });
            // Readers and writers lock with synchronized: a greenlet may wait holding a monitor, while
            // the main greenlet, which is the hub's own thread, runs the loop when it waits and must not.
            Greenlet<List<String>> client = Gevent.spawn(() -> {
                List<String> replies = new ArrayList<>();
                try (Socket socket = Socket.connect(server.localAddress());
                        BufferedReader in = new BufferedReader(new InputStreamReader(socket.inputStream(), UTF_8));
                        PrintWriter out = new PrintWriter(new OutputStreamWriter(socket.outputStream(), UTF_8), true)) {
                    for (String line : lines) {
                        out.println(line);
                        assertFalse(out.checkError(), "PrintWriter hides write errors; there must be none");
                        replies.add(in.readLine());
                    }
                    assertNull(in.readLine(), "the server closed after bye");
                }
                return replies;
            });
            assertEquals(lines.stream().map(line -> line.toUpperCase(Locale.ROOT)).toList(), client.get());
            assertEquals(lines, peer.get());
        }
    }

    @Test
    void readFullyWaitsAcrossSeveralSocketReads() throws Exception {
        byte[] body = EchoPeer.randomBytes(10_000);
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            Greenlet<byte[]> reader = Gevent.spawn(() -> {
                DataInputStream in = new DataInputStream(client.inputStream());
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                return frame;
            });
            DataOutputStream out = new DataOutputStream(accepted.outputStream());
            out.writeInt(body.length);
            out.write(body, 0, 1000);
            // Until the loop has nothing left to run, the reader takes what came and waits for the rest.
            Gevent.idle();
            assertFalse(reader.dead(), "readFully returned with 1000 of " + body.length + " bytes");
            out.write(body, 1000, body.length - 1000);
            assertArrayEquals(body, reader.get());
        }
    }

    @Test
    void singleByteReadReturnsUnsignedValuesThenMinusOneAtTheEnd() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress())) {
            try (Socket accepted = server.accept()) {
                OutputStream out = accepted.outputStream();
                for (int b : new int[] {0, 1, 127, 128, 255}) {
                    out.write(b);
                }
            }
            InputStream in = client.inputStream();
            assertEquals(0, in.read());
            assertEquals(1, in.read());
            assertEquals(127, in.read());
            assertEquals(128, in.read());
            assertEquals(255, in.read());
            assertEquals(-1, in.read());
            assertEquals(-1, in.read());
        }
    }

    @Test
    void closingTheInputStreamClosesTheSocket() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            client.inputStream().close();
            assertFalse(client.isOpen());
            assertEquals(0, accepted.recv(16).length, "the peer sees the end of the stream");
        }
    }

    @Test
    void closingTheOutputStreamClosesTheSocket() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress());
                Socket accepted = server.accept()) {
            OutputStream out = client.outputStream();
            out.write(new byte[] {1, 2, 3});
            out.close();
            assertFalse(client.isOpen());
            assertArrayEquals(new byte[] {1, 2, 3}, EchoPeer.readToEnd(accepted),
                    "what was written before the close arrives, then the end of the stream");
        }
    }

    @Test
    void eachCallReturnsTheSameStream() throws Exception {
        try (ServerSocket server = Loopback.listenIpv4();
                Socket client = Socket.connect(server.localAddress())) {
            server.accept().close();
            InputStream in = client.inputStream();
            OutputStream out = client.outputStream();
            assertSame(in, client.inputStream());
            assertSame(out, client.outputStream());
            assertTrue(client.isOpen(), "getting the streams opens nothing and closes nothing");
        }
    }
}
