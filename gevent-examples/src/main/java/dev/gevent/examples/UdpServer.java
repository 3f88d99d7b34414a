package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.server.DatagramServer;
import dev.gevent.socket.DatagramSocket;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * gevent's {@code examples/udp_server.py}: a {@link DatagramServer} on 127.0.0.1 that handles
 * each datagram in its own greenlet, logs it and answers the sender with
 * {@code Received N bytes}.
 *
 * <p>Run: {@code java -jar gevent-examples.jar udp_server PORT}. Port 0 picks a free port; the
 * first line printed, {@code udp_server: receiving datagrams on 127.0.0.1:PORT ...}, names it. It
 * serves until the process is killed. Try it with the {@code udp_client} example.
 */
public final class UdpServer {
    /** The arguments after the example's name. */
    public static final String USAGE = "PORT";

    private UdpServer() {
    }

    /**
     * @param args {@value #USAGE}
     * @return the port to listen on, 0 for any free port
     * @throws IllegalArgumentException (an {@code Args.Bad}) naming what is wrong
     */
    public static int parse(String[] args) {
        if (args.length != 1) {
            throw new Args.Bad(args.length == 0 ? "PORT missing" : "one PORT expected, got " + args.length + " arguments");
        }
        return Args.port(args[0]);
    }

    /**
     * Runs the server in the calling platform thread, as its hub's main greenlet, until the
     * process is killed.
     *
     * @param args {@value #USAGE}
     * @throws IOException if it cannot bind
     */
    public static void main(String[] args) throws IOException {
        int port = parse(args);
        try (Hub _ = Gevent.getHub()) {
            start(port, System.out).serveForever();
        }
    }

    /**
     * Starts the server in the calling thread's hub and returns at once; stop it with
     * {@link DatagramServer#stop()}.
     *
     * @param port where to listen on 127.0.0.1; 0 for any free port
     * @param log where the listening line and each datagram are logged
     * @return the started server; {@link DatagramServer#address()} has the bound port
     * @throws IOException if it cannot bind
     */
    public static DatagramServer start(int port, PrintStream log) throws IOException {
        DatagramServer server = new DatagramServer(new InetSocketAddress("127.0.0.1", port),
                (data, peer, socket) -> answer(data, peer, socket, log));
        server.start();
        log.println("udp_server: receiving datagrams on 127.0.0.1:" + server.address().getPort() + " (loop "
                + Gevent.getHub().loopName() + ")");
        return server;
    }

    /**
     * The reply to a datagram of {@code size} bytes.
     *
     * @param size the datagram's length
     * @return the reply's text
     */
    public static String reply(int size) {
        return "Received " + size + " bytes";
    }

    private static void answer(ByteBuffer data, SocketAddress peer, DatagramSocket socket, PrintStream log) throws IOException {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        log.println(peer + ": got " + repr(bytes));
        socket.send(ByteBuffer.wrap(reply(bytes.length).getBytes(StandardCharsets.UTF_8)), peer);
    }

    /**
     * @param bytes raw bytes
     * @return them quoted the way Python prints bytes: printable ASCII as is, the rest escaped
     */
    static String repr(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length + 2).append('\'');
        for (byte b : bytes) {
            int c = b & 0xFF;
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '\'' -> s.append("\\'");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        s.append((char) c);
                    } else {
                        s.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return s.append('\'').toString();
    }
}
