package dev.gevent.examples;

import com.sun.net.httpserver.HttpsConfigurator;
import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.http.HttpsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

/**
 * gevent's {@code examples/wsgiserver_ssl.py}: the {@code httpserver} hello world over TLS, on
 * {@link HttpsServer} (gevent passes {@code keyfile} and {@code certfile} to its
 * {@code WSGIServer}; here an {@link HttpsConfigurator} holds an {@link SSLContext} made from a
 * PKCS12 key store). Each connection's handshake runs in its own greenlet, then every request gets
 * 200 {@code Hello, World!} (text/plain), keep-alive.
 *
 * <p>Run: {@code java -jar gevent-examples.jar httpsserver PORT KEYSTORE PASSWORD}, with a key store
 * made as the {@code sslechoserver} example says. Port 0 picks a free port; the first line printed,
 * {@code httpsserver: listening on 127.0.0.1:PORT ...}, names it. Try it with
 * {@code curl -k https://127.0.0.1:PORT/}. It serves until the process is killed.
 */
public final class HttpsHelloServer {
    /** The arguments after the example's name. */
    public static final String USAGE = SslEchoServer.USAGE;

    private HttpsHelloServer() {
    }

    /**
     * Serves in the calling platform thread's hub until the process is killed.
     *
     * @param args {@value #USAGE}
     * @throws IOException if the key store cannot be read or the server cannot listen
     * @throws GeneralSecurityException if the key store holds no usable key
     */
    public static void main(String[] args) throws IOException, GeneralSecurityException {
        SslEchoServer.Options options = SslEchoServer.parse(args);
        SSLContext context = SslEchoServer.serverContext(options.keyStore(), options.password());
        try (Hub hub = Gevent.getHub()) {
            start(options.port(), context, System.out);
            hub.join();
        }
    }

    /**
     * Starts the server in the calling thread's hub and returns at once.
     *
     * @param port where to listen on 127.0.0.1; 0 for any free port
     * @param context the server's TLS context, from {@link SslEchoServer#serverContext}
     * @param log where the listening line goes
     * @return the started server; stop it with {@code stop(0)}
     * @throws IOException if it cannot listen
     */
    public static HttpsServer start(int port, SSLContext context, PrintStream log) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", HttpHelloServer::hello);
        server.start();
        log.println("httpsserver: listening on 127.0.0.1:" + server.getAddress().getPort() + " (loop "
                + Gevent.getHub().loopName() + ", TLS)");
        return server;
    }
}
