package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.queue.Full;
import dev.gevent.queue.Queue;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.StreamSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A broadcast chat server: every line a client sends goes to every other client, prefixed with the
 * sender's name ({@code user1: hello}); joins and leaves are announced. Each connection has a
 * reader (its handler greenlet) and a writer greenlet that drains the client's own bounded
 * {@link Queue}: a slow client never holds up the others, and one that falls
 * {@value #BACKLOG} lines behind is disconnected. A line {@code /quit} leaves.
 *
 * <p>Run: {@code java -jar gevent-examples.jar chat PORT}; SIGTERM or SIGINT stop accepting, give
 * the sessions a second, then end them and the process. Try it with two {@code telnet 127.0.0.1 PORT}.
 */
public final class ChatServer {
    /** The arguments after the example's name. */
    public static final String USAGE = "PORT";
    /** How many lines a client may lag behind before it is dropped. */
    static final int BACKLOG = 100;

    private final Map<String, Member> members = new LinkedHashMap<>();
    private final PrintStream log;
    private int joined;

    /** A connected client: its socket and the lines waiting to be sent to it. */
    private record Member(StreamSocket socket, Queue<String> outbox) {
    }

    private ChatServer(PrintStream log) {
        this.log = log;
    }

    /**
     * @param args {@value #USAGE}
     * @throws IOException if it cannot listen
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new Args.Bad("one PORT expected");
        }
        int port = Args.port(args[0]);
        try (Hub hub = Gevent.getHub()) {
            StreamServer server = start(port, System.out);
            // Stop accepting; give the handlers a second, then kill them: each says goodbye as it ends.
            SignalStop.serveUntilSignalled(server, () -> server.stop(Duration.ofSeconds(1)));
        }
    }

    /**
     * Starts the server in the calling thread's hub and returns at once.
     *
     * @param port where to listen on 127.0.0.1; 0 for any free port
     * @param log where the listening line and the joins and leaves are logged
     * @return the started server
     * @throws IOException if it cannot listen
     */
    public static StreamServer start(int port, PrintStream log) throws IOException {
        ChatServer chat = new ChatServer(log);
        StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", port), chat::serve);
        server.start();
        log.println("chat: listening on 127.0.0.1:" + server.address().getPort() + " (loop " + Gevent.getHub().loopName() + ")");
        return server;
    }

    private void serve(StreamSocket socket, SocketAddress peer) throws IOException {
        String name = "user" + ++joined;
        Queue<String> outbox = new Queue<>(BACKLOG);
        Greenlet<Void> writer = Gevent.spawn(() -> write(socket, outbox));
        outbox.put("welcome, " + name + "; " + members.size() + " other(s) here; /quit leaves\n");
        broadcast(name, "* " + name + " joined\n");
        members.put(name, new Member(socket, outbox));
        log.println("chat: " + name + " joined from " + peer);
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.inputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.strip().equals("/quit")) {
                broadcast(name, name + ": " + line + "\n");
            }
        } catch (IOException e) {
            log.println("chat: " + name + ": " + e.getMessage());
        } finally {
            members.remove(name);
            writer.kill();
            broadcast(name, "* " + name + " left\n");
            log.println("chat: " + name + " left");
        }
    }

    /**
     * Queues {@code line} for everyone but {@code from}, without blocking. A member too far behind
     * is dropped: its socket is closed, which ends its reader.
     */
    private void broadcast(String from, String line) {
        List<String> behind = new ArrayList<>();
        members.forEach((name, member) -> {
            if (!name.equals(from)) {
                try {
                    member.outbox().putNowait(line);
                } catch (Full e) {
                    behind.add(name);
                }
            }
        });
        for (String name : behind) {
            log.println("chat: " + name + " is " + BACKLOG + " lines behind: dropped");
            try {
                members.remove(name).socket().close();
            } catch (IOException e) {
                log.println("chat: closing " + name + ": " + e.getMessage());
            }
        }
    }

    /** Sends the outbox to the client until killed or the client goes away (its reader sees that too). */
    private static void write(StreamSocket socket, Queue<String> outbox) {
        try {
            while (true) {
                socket.sendAll(outbox.get().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the client reset or closed the connection: the reader ends the session
        }
    }
}
