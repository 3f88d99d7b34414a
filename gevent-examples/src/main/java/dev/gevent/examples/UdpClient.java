package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.socket.DatagramSocket;
import dev.gevent.socket.Dns;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * gevent's {@code examples/udp_client.py}: sends one datagram with the cooperative
 * {@link DatagramSocket} and prints the reply, waiting for it at most a timeout (5 s unless
 * {@code --timeout} says otherwise). Datagrams from other senders than the target are ignored, as
 * a connected UDP socket would.
 *
 * <p>Run: {@code java -jar gevent-examples.jar udp_client 127.0.0.1:PORT hello world} against
 * the {@code udp_server} example. Exits with status 1 if no reply came in time.
 */
public final class UdpClient {
    /** The arguments after the example's name. */
    public static final String USAGE = "[--timeout SECONDS] HOST:PORT MESSAGE...";

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_REPLY = 8192;

    private UdpClient() {
    }

    /**
     * Parsed arguments.
     *
     * @param target where to send, unresolved
     * @param message what to send: the words, joined by spaces, in UTF-8
     * @param timeout how long to wait for the reply
     */
    public record Options(InetSocketAddress target, String message, Duration timeout) {
    }

    /**
     * @param args {@value #USAGE}
     * @return the options
     * @throws IllegalArgumentException (an {@code Args.Bad}) naming what is wrong
     */
    public static Options parse(String[] args) {
        Duration timeout = DEFAULT_TIMEOUT;
        int i = 0;
        if (args.length > 0 && args[0].equals("--timeout")) {
            if (args.length < 2) {
                throw new Args.Bad("--timeout needs SECONDS");
            }
            timeout = Args.seconds(args[1]);
            i = 2;
        }
        if (i >= args.length) {
            throw new Args.Bad("HOST:PORT missing");
        }
        if (args[i].startsWith("--")) {
            throw new Args.Bad("unknown option: " + args[i]);
        }
        InetSocketAddress target = Args.hostPort(args[i]);
        if (i + 1 >= args.length) {
            throw new Args.Bad("MESSAGE missing");
        }
        String message = String.join(" ", Arrays.copyOfRange(args, i + 1, args.length));
        return new Options(target, message, timeout);
    }

    /**
     * Sends the message and prints the reply, in the calling platform thread as its hub's main
     * greenlet.
     *
     * @param args {@value #USAGE}
     * @throws SocketTimeoutException if no reply came in time
     * @throws IOException if it cannot send or receive
     */
    public static void main(String[] args) throws IOException {
        Options options = parse(args);
        try (Hub _ = Gevent.getHub()) {
            send(options, System.out);
        }
    }

    /**
     * Sends the message from a fresh socket of the calling thread's hub and waits for the
     * target's reply; blocks only the calling greenlet.
     *
     * @param options what to send, where, and how long to wait
     * @param out where the exchange is printed
     * @return the reply's text (UTF-8)
     * @throws java.net.UnknownHostException if the target's host does not resolve
     * @throws SocketTimeoutException if no reply came in time
     * @throws IOException if it cannot send or receive
     */
    public static String send(Options options, PrintStream out) throws IOException {
        InetAddress host = Dns.getByName(options.target().getHostString());
        InetSocketAddress target = new InetSocketAddress(host, options.target().getPort());
        // the wildcard of the target's family: an IPv4 socket cannot reach ::1, nor the reverse
        InetSocketAddress any = new InetSocketAddress(host instanceof Inet6Address ? "::" : "0.0.0.0", 0);
        byte[] message = options.message().getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket socket = DatagramSocket.bind(any)) {
            out.println("Sending " + message.length + " bytes to " + format(target));
            socket.send(ByteBuffer.wrap(message), target);
            byte[] reply = receiveFrom(socket, target, options.timeout());
            out.println(format(target) + ": got " + UdpServer.repr(reply));
            return new String(reply, StandardCharsets.UTF_8);
        }
    }

    private static byte[] receiveFrom(DatagramSocket socket, InetSocketAddress target, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer buffer = ByteBuffer.allocate(MAX_REPLY);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw noReply(target, timeout);
            }
            socket.setTimeout(Duration.ofNanos(left));
            buffer.clear();
            SocketAddress sender;
            try {
                sender = socket.receive(buffer);
            } catch (SocketTimeoutException e) {
                throw noReply(target, timeout);
            }
            if (target.equals(sender)) {
                buffer.flip();
                byte[] reply = new byte[buffer.remaining()];
                buffer.get(reply);
                return reply;
            }
        }
    }

    private static SocketTimeoutException noReply(InetSocketAddress target, Duration timeout) {
        return new SocketTimeoutException("no reply from " + format(target) + " within " + timeout.toMillis() + " ms");
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
