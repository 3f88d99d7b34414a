package dev.gevent.benchmarks.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client side of {@link IdleConnections}, in a process of its own so that its sockets do not
 * count in the server's memory. First it warms the server up: it opens a connection, echoes one
 * byte through it and closes it, {@code warmups} times one after the other, and prints
 * {@code warmed}. On a line from its standard input it opens N connections, prints
 * {@code connected N}, and holds them open without sending anything until its standard input
 * ends; then it closes them. The kernel chooses each connection's port at connect time: at most
 * the ephemeral port range's size towards one server port.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.gevent.benchmarks.echo.IdleClients host port count warmups
 * }</pre>
 */
public final class IdleClients {
    private IdleClients() {
    }

    /**
     * Warms up, then opens the connections and holds them.
     *
     * @param args host, port, number of connections, number of warm-up connections
     * @throws IOException if a connection fails, or too few file descriptors are allowed
     */
    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        int warmups = Integer.parseInt(args[3]);
        FileDescriptorLimit.require(count, String.format(Locale.ROOT, "IdleClients: %,d connections", count));
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int i = 0; i < warmups; i++) {
            try (SocketChannel c = SocketChannel.open(server)) {
                c.write(one.clear());
                if (c.read(one.clear()) != 1) {
                    throw new IOException("warm-up connection " + i + ": no echo");
                }
            }
        }
        System.out.println("warmed");
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (in.readLine() == null) {
            return;
        }
        List<SocketChannel> channels = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                channels.add(SocketChannel.open(server));
            }
            System.out.println("connected " + channels.size());
            System.out.flush();
            while (in.read() >= 0) {
                // nothing to do but wait for the end of the input
            }
        } finally {
            for (SocketChannel c : channels) {
                c.close();
            }
        }
    }
}
