package dev.gevent.benchmarks.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The echo server written the way the JDK suggests for virtual threads: a blocking
 * {@link ServerSocket}, and one virtual thread per connection on the JDK's default scheduler,
 * copying from the socket's input stream to its output stream through a byte array allocated once
 * per connection. Pinned to one core, the default scheduler has one carrier thread.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.gevent.benchmarks.echo.JdkVirtualThreadEchoServer port
 * }</pre>
 *
 * <p>It listens on the loopback address (port 0: any free port), prints {@code listening on PORT}
 * once it accepts connections, and serves until it is killed.
 */
public final class JdkVirtualThreadEchoServer {
    private static final int BUFFER_BYTES = 8192;

    private JdkVirtualThreadEchoServer() {
    }

    /**
     * Serves until the process is killed.
     *
     * @param args the port
     * @throws IOException if the server cannot start
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            System.out.println("listening on " + listener.getLocalPort());
            System.out.println("JDK ServerSocket, a virtual thread per connection, default scheduler");
            while (true) {
                Socket socket = listener.accept();
                Thread.ofVirtual().start(() -> echo(socket));
            }
        }
    }

    private static void echo(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            System.err.println("connection failed: " + e);
        }
    }
}
