package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.server.StreamServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The TLS variant of gevent's {@code examples/echoserver.py} (gevent passes {@code certfile} and
 * {@code keyfile} to its {@code StreamServer}; here {@link StreamServer#ssl} takes an
 * {@link SSLContext}). Each connection's handshake runs in its own greenlet, then whatever the
 * client sends comes back byte for byte until it closes its side, as in the {@code echoserver}
 * example's default mode.
 *
 * <p>Run: {@code java -jar gevent-examples.jar sslechoserver PORT KEYSTORE PASSWORD}, where
 * KEYSTORE is a PKCS12 file holding the server's key and certificate, for example one made with
 * {@code keytool -genkeypair -keyalg EC -dname CN=localhost -ext SAN=ip:127.0.0.1,dns:localhost
 * -storetype PKCS12 -keystore server.p12 -storepass changeit}. Port 0 picks a free port; the first
 * line printed, {@code sslechoserver: listening on 127.0.0.1:PORT ...}, names it. Try it with
 * {@code openssl s_client -connect 127.0.0.1:PORT}. It serves until the process is killed.
 */
public final class SslEchoServer {
    /** The arguments after the example's name. */
    public static final String USAGE = "PORT KEYSTORE PASSWORD";

    private SslEchoServer() {
    }

    /**
     * Parsed arguments.
     *
     * @param port where to listen on 127.0.0.1; 0 for any free port
     * @param keyStore a PKCS12 key store with the server's key and certificate chain
     * @param password the key store's password, also the key's
     */
    public record Options(int port, Path keyStore, char[] password) {
    }

    /**
     * @param args {@value #USAGE}
     * @return the options
     * @throws IllegalArgumentException (an {@code Args.Bad}) naming what is wrong, a key store
     *     that is not a readable file included
     */
    public static Options parse(String[] args) {
        if (args.length != 3) {
            throw new Args.Bad("expected PORT, KEYSTORE and PASSWORD, got " + args.length + " arguments");
        }
        int port = Args.port(args[0]);
        Path keyStore = Path.of(args[1]);
        if (!Files.isRegularFile(keyStore) || !Files.isReadable(keyStore)) {
            throw new Args.Bad("KEYSTORE is not a readable file: " + args[1]);
        }
        return new Options(port, keyStore, args[2].toCharArray());
    }

    /**
     * Runs the server in the calling platform thread, as its hub's main greenlet, until the
     * process is killed.
     *
     * @param args {@value #USAGE}
     * @throws IOException if the key store cannot be read or the server cannot listen
     * @throws GeneralSecurityException if the key store holds no usable key
     */
    public static void main(String[] args) throws IOException, GeneralSecurityException {
        Options options = parse(args);
        SSLContext context = serverContext(options.keyStore(), options.password());
        try (Hub _ = Gevent.getHub()) {
            start(options.port(), context, System.out).serveForever();
        }
    }

    /**
     * A server-side TLS context with the key of a PKCS12 key store and the JDK's defaults for the
     * rest (protocols, cipher suites, no client authentication).
     *
     * @param keyStore the PKCS12 file
     * @param password its password, also the key's
     * @return the initialised context
     * @throws IOException if the file cannot be read, or the password is wrong
     * @throws GeneralSecurityException if it holds no usable key
     */
    public static SSLContext serverContext(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, password);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }

    /**
     * Starts the server in the calling thread's hub and returns at once; stop it with
     * {@link StreamServer#stop()}.
     *
     * @param port where to listen on 127.0.0.1; 0 for any free port
     * @param context the server's TLS context
     * @param log where the listening line is logged
     * @return the started server; {@link StreamServer#address()} has the bound port
     * @throws IOException if it cannot listen
     */
    public static StreamServer start(int port, SSLContext context, PrintStream log) throws IOException {
        StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", port), (socket, peer) -> EchoServer.echoBytes(socket))
                .ssl(context);
        server.start();
        log.println("sslechoserver: listening on 127.0.0.1:" + server.address().getPort() + " (loop "
                + Gevent.getHub().loopName() + ", TLS byte echo)");
        return server;
    }
}
