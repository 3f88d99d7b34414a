package dev.gevent.benchmarks.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * The same handler on the JDK's built-in {@code com.sun.net.httpserver.HttpServer}, each exchange
 * on a virtual thread ({@code Executors.newVirtualThreadPerTaskExecutor()}). gevent-core on the
 * class path makes {@code HttpServer.create} return ours, so this names the JDK's provider first.
 * Pinned to one core, the default scheduler has one carrier thread.
 */
public final class JdkHttpServer {
    private JdkHttpServer() {
    }

    /**
     * Serves until the process is killed.
     *
     * @param args the port (0: any free one)
     * @throws IOException if the server cannot start
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("com.sun.net.httpserver.HttpServerProvider", "sun.net.httpserver.DefaultHttpServerProvider");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 1024);
        if (server instanceof dev.gevent.http.HttpServer) {
            throw new IllegalStateException("expected the JDK's server, got " + server.getClass());
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", GeventHttpServer::hello);
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
        System.out.println("JDK " + server.getClass().getName() + ", a virtual thread per exchange");
    }
}
