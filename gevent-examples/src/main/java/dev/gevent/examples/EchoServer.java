package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.StreamSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * gevent's {@code examples/echoserver.py}: a {@link StreamServer} on 127.0.0.1 that serves each
 * connection in its own greenlet, with plain sequential code whose blocking reads and writes park
 * only that greenlet.
 *
 * <p>Two modes:
 * <ul>
 *   <li>by default a byte echo: whatever a client sends comes back byte for byte, with no
 *       greeting, until the client closes its side; nothing is printed per connection, so load
 *       generators can use it;</li>
 *   <li>{@code --greet}: gevent's flavour. The server greets, echoes each line ({@code \n}
 *       terminated, bytes unchanged), ends the connection on a line {@code quit}, and logs each
 *       connection and line.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar gevent-examples.jar echoserver [--greet] PORT}. Port 0 picks a free
 * port; the first line printed, {@code echoserver: listening on 127.0.0.1:PORT ...}, names it. The
 * loop is the one {@code -Dgevent.loop} names. It serves until the process is killed. Try it with
 * {@code telnet 127.0.0.1 PORT}.
 */
public final class EchoServer {
    /** The arguments after the example's name. */
    public static final String USAGE = "[--greet] PORT";
    /** What a client gets first in {@code --greet} mode (gevent's greeting). */
    public static final String GREETING = "Welcome to the echo server! Type quit to exit.\r\n";

    // one per connection: small enough for thousands of clients, large enough for few reads in bulk
    private static final int BUFFER_SIZE = 8 * 1024;
    private static final int MAX_LINE = 8 * 1024;

    private EchoServer() {
    }

    /**
     * Parsed arguments.
     *
     * @param port where to listen on 127.0.0.1; 0 for any free port
     * @param greet gevent's greeting line echo instead of the plain byte echo
     */
    public record Options(int port, boolean greet) {
    }

    /**
     * @param args {@value #USAGE}
     * @return the options
     * @throws IllegalArgumentException (an {@code Args.Bad}) naming what is wrong
     */
    public static Options parse(String[] args) {
        boolean greet = false;
        String port = null;
        for (String arg : args) {
            if (arg.equals("--greet")) {
                greet = true;
            } else if (arg.startsWith("-") && !arg.equals("-")) {
                throw new Args.Bad("unknown option: " + arg);
            } else if (port == null) {
                port = arg;
            } else {
                throw new Args.Bad("one PORT expected, got also: " + arg);
            }
        }
        if (port == null) {
            throw new Args.Bad("PORT missing");
        }
        return new Options(Args.port(port), greet);
    }

    /**
     * Runs the server in the calling platform thread, as its hub's main greenlet, until the
     * process is killed.
     *
     * @param args {@value #USAGE}
     * @throws IOException if it cannot listen
     */
    public static void main(String[] args) throws IOException {
        Options options = parse(args);
        try (Hub _ = Gevent.getHub()) {
            start(options, System.out).serveForever();
        }
    }

    /**
     * Starts the server in the calling thread's hub and returns at once; stop it with
     * {@link StreamServer#stop()}.
     *
     * @param options what to serve, where
     * @param log where the listening line and, with {@code --greet}, the connections are logged
     * @return the started server; {@link StreamServer#address()} has the bound port
     * @throws IOException if it cannot listen
     */
    public static StreamServer start(Options options, PrintStream log) throws IOException {
        StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", options.port()),
                options.greet() ? (socket, peer) -> echoLines(socket, peer, log) : (socket, peer) -> echoBytes(socket));
        server.start();
        log.println("echoserver: listening on 127.0.0.1:" + server.address().getPort() + " (loop "
                + Gevent.getHub().loopName() + ", " + (options.greet() ? "greeting line echo" : "byte echo") + ")");
        return server;
    }

    /**
     * Writes back whatever {@code socket} reads until the peer closes its side. A reset or a
     * failed write ends the echo quietly: a client that goes away is normal for an echo server.
     *
     * @param socket the connection
     */
    static void echoBytes(StreamSocket socket) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        try {
            while (socket.read(buffer) >= 0) {
                buffer.flip();
                socket.writeFully(buffer);
                buffer.clear();
            }
        } catch (IOException e) {
            // the peer reset or closed the connection: nothing left to echo to
        }
    }

    private static void echoLines(StreamSocket socket, SocketAddress peer, PrintStream log) {
        log.println("New connection from " + peer);
        try {
            socket.sendAll(GREETING.getBytes(StandardCharsets.US_ASCII));
            // gevent's makefile('rb') buffers; the socket's own stream does one read per call
            InputStream in = new BufferedInputStream(socket.inputStream(), BUFFER_SIZE);
            while (true) {
                byte[] line = readLine(in);
                if (line.length == 0) {
                    log.println("client disconnected");
                    return;
                }
                if (new String(line, StandardCharsets.ISO_8859_1).strip().equalsIgnoreCase("quit")) {
                    log.println("client quit");
                    return;
                }
                socket.sendAll(line);
                log.println("echoed " + UdpServer.repr(line));
            }
        } catch (IOException e) {
            log.println("client connection failed: " + e);
        }
    }

    /**
     * Reads up to and including the next {@code \n}, or to the end of the stream, or
     * {@value #MAX_LINE} bytes, whichever comes first (so one endless line cannot take all the
     * memory); empty at the end of the stream.
     */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while (line.size() < MAX_LINE && (b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }
}
