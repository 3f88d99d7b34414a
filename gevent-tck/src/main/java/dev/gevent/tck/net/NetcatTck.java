package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.socket.ServerSocket;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import dev.gevent.threadpool.ThreadPool;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real, non-Java client: {@code nc} (netcat) sends a line to a greenlet echo server and reads
 * it back, half-closing its output as gevent's own tests do with shell clients. Skipped where the
 * machine has no {@code nc}.
 */
@GeventTck
public class NetcatTck {

    @Test
    void netcatClientGetsItsLineEchoed() throws Exception {
        String nc = findOnPath("nc");
        assumeTrue(nc != null, "nc is not installed on this machine: skipping the netcat client");
        try (ServerSocket server = ServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Greenlet<Void> echo = Gevent.spawn(() -> {
                try (Socket s = server.accept()) {
                    byte[] b;
                    while ((b = s.recv(4096)).length > 0) {
                        s.sendAll(b);
                    }
                }
            });
            int port = server.localAddress().getPort();
            // The process's pipes are plain blocking file I/O, which would stall the hub: they run on the thread pool.
            String reply = ThreadPool.forHub().apply(() -> runNetcat(nc, port, "hello from nc\n"));
            assertEquals("hello from nc\n", reply);
            echo.get();
        }
    }

    private static String runNetcat(String nc, int port, String input) throws Exception {
        // -N (OpenBSD) / -q 0 shut the socket down at stdin's end; pick what this nc understands.
        Process help = new ProcessBuilder(nc, "-h").redirectErrorStream(true).start();
        String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        help.waitFor(10, TimeUnit.SECONDS);
        String eofFlag = usage.contains("-N") ? "-N" : "-q0";
        Process p = new ProcessBuilder(nc, eofFlag, "127.0.0.1", Integer.toString(port))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, program);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
