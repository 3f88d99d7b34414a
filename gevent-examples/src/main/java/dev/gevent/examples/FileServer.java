package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.event.AsyncResult;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.StreamSocket;
import dev.gevent.threadpool.ThreadPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file server in the spirit of gevent's {@code examples/geventsendfile.py}: files under ROOT,
 * sent over plain TCP. A client writes {@code GET PATH\n}; the answer is {@code 200 SIZE\n} and the
 * file's bytes, or {@code 404 ...}, {@code 403 ...} (a path leaving ROOT) or {@code 400 ...}, then
 * the server closes the connection.
 *
 * <p>File reads block the thread that makes them and cannot cooperate, and the socket layer has no
 * {@code sendfile}: each chunk is read by a {@link FileChannel} on the hub's {@link ThreadPool},
 * the next chunk's read running while the greenlet writes the current one to the socket.
 *
 * <p>Run: {@code java -jar gevent-examples.jar fileserver ROOT PORT}; try it with
 * {@code printf 'GET README.md\n' | nc 127.0.0.1 PORT}.
 */
public final class FileServer {
    /** The arguments after the example's name. */
    public static final String USAGE = "ROOT PORT";
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_REQUEST_LINE = 4096;

    private FileServer() {
    }

    /**
     * @param args {@value #USAGE}
     * @throws IOException if ROOT is not a directory or the server cannot listen
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new Args.Bad("ROOT and PORT expected");
        }
        Path root = Path.of(args[0]);
        int port = Args.port(args[1]);
        try (Hub _ = Gevent.getHub()) {
            start(root, port, System.out).serveForever();
        }
    }

    /**
     * Starts the server in the calling thread's hub and returns at once.
     *
     * @param root the directory whose files are served
     * @param port where to listen on 127.0.0.1; 0 for any free port
     * @param log where the listening line and each request are logged
     * @return the started server
     * @throws IOException if {@code root} is not a directory or the server cannot listen
     */
    public static StreamServer start(Path root, int port, PrintStream log) throws IOException {
        Path base = root.toRealPath();
        if (!Files.isDirectory(base)) {
            throw new Args.Bad("not a directory: " + root);
        }
        StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", port), (socket, peer) -> serve(base, socket, peer, log));
        server.start();
        log.println("fileserver: serving " + base + " on 127.0.0.1:" + server.address().getPort());
        return server;
    }

    private static void serve(Path base, StreamSocket socket, SocketAddress peer, PrintStream log) throws IOException {
        String request = readLine(socket.inputStream());
        if (request == null || !request.startsWith("GET ") || request.length() == 4) {
            reply(socket, "400 expected GET PATH");
            log.println("fileserver: " + peer + " bad request " + request);
            return;
        }
        String name = request.substring(4).strip();
        Path file = base.resolve(name).normalize();
        ThreadPool pool = ThreadPool.forHub();
        try {
            // realpath on the pool too: it is a file system call; symbolic links must not lead out of ROOT
            Path real = pool.apply(file::toRealPath);
            if (!real.startsWith(base)) {
                reply(socket, "403 outside the served directory: " + name);
                log.println("fileserver: " + peer + " GET " + name + " 403");
                return;
            }
            long sent = send(real, socket, pool);
            log.println("fileserver: " + peer + " GET " + name + " 200 " + sent + " bytes");
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                reply(socket, "404 no such file: " + name);
                log.println("fileserver: " + peer + " GET " + name + " 404");
                return;
            }
            throw e;
        }
    }

    /** Sends the status line and the file; the read of the next chunk overlaps the write of this one. */
    private static long send(Path file, StreamSocket socket, ThreadPool pool) throws IOException {
        try (FileChannel channel = pool.apply(() -> FileChannel.open(file, StandardOpenOption.READ))) {
            long size = pool.apply(channel::size);
            socket.sendAll(("200 " + size + "\n").getBytes(StandardCharsets.US_ASCII));
            long sent = 0;
            AsyncResult<ByteBuffer> next = pool.spawn(() -> readChunk(channel));
            while (true) {
                ByteBuffer chunk = next.get();
                if (!chunk.hasRemaining()) {
                    return sent;
                }
                next = pool.spawn(() -> readChunk(channel));
                sent += chunk.remaining();
                socket.writeFully(chunk);
            }
        }
    }

    /** @return the next chunk of the file, empty at its end; on a pool thread */
    private static ByteBuffer readChunk(FileChannel channel) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        while (chunk.hasRemaining() && channel.read(chunk) >= 0) {
            // fill the chunk: fewer, larger socket writes
        }
        return chunk.flip();
    }

    private static void reply(StreamSocket socket, String status) throws IOException {
        socket.sendAll((status + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** @return the request line without its end, or null if the stream ended or the line is too long */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() == MAX_REQUEST_LINE) {
                return null;
            }
            line.write(b);
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8).stripTrailing();
    }
}
