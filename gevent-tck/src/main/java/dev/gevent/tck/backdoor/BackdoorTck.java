package dev.gevent.tck.backdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.backdoor.BackdoorServer;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gevent.backdoor: a loopback client sends Java snippets and reads what they evaluate to; the
 * snippets run in greenlets of the server's hub, with its locals in scope; a wrong password closes
 * the session; a non-loopback address is refused unless allowed.
 */
@GeventTck
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class BackdoorTck {

    /** A client that reads up to each prompt. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Client(InetSocketAddress address) throws IOException {
            socket = Socket.connect(address, Duration.ofSeconds(10));
            socket.setTimeout(Duration.ofSeconds(30));
            in = socket.inputStream();
            out = socket.outputStream();
        }

        /** @return what the server wrote until it printed {@code prompt} (excluded), or until it closed */
        String until(String prompt) throws IOException {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                got.write(b);
                String s = got.toString(StandardCharsets.UTF_8);
                if (s.endsWith(prompt)) {
                    return s.substring(0, s.length() - prompt.length());
                }
            }
            return got.toString(StandardCharsets.UTF_8);
        }

        /** Sends {@code line}, returns the output up to the next prompt, trimmed. */
        String eval(String line) throws IOException {
            send(line);
            return until(">>> ").strip();
        }

        void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static <T> T inGreenlet(Callable<T> client) {
        Greenlet<T> g = Gevent.spawn(client);
        return g.get();
    }

    @Test
    void snippetsRunInTheHubWithItsLocalsInScope() throws Exception {
        try (BackdoorServer backdoor = new BackdoorServer(new InetSocketAddress("127.0.0.1", 0), Map.of("answer", 41))) {
            backdoor.start();
            inGreenlet(() -> {
                try (Client c = new Client(backdoor.address())) {
                    String banner = c.until(">>> ");
                    assertTrue(banner.contains("locals: hub, out, answer"), banner);
                    assertEquals("42", c.eval("answer + 1"));
                    assertEquals("true", c.eval("dev.gevent.Gevent.getHub() == hub"), "the snippet ran in a greenlet of the hub");
                    assertEquals("true", c.eval("Thread.currentThread().isVirtual()"));
                    assertEquals("x ==> 5", c.eval("int x = 5;"));
                    c.send("int twice(int v) {");
                    assertEquals("", c.until("... ").strip(), "an incomplete snippet asks for more");
                    assertEquals("42", c.eval("return 2 * v; } twice(21)").lines().reduce((a, b) -> b).orElseThrow());
                    assertEquals("hello", c.eval("out.println(\"hello\")"));
                    String thrown = c.eval("throw new IllegalStateException(\"boom\");");
                    assertTrue(thrown.contains("java.lang.IllegalStateException: boom"), thrown);
                    String rejected = c.eval("nosuchname + 1");
                    assertTrue(rejected.startsWith("error: ") && rejected.contains("nosuchname"), rejected);
                    c.send("/exit");
                    assertEquals("", c.until(">>> "), "the session ends on /exit");
                }
                return null;
            });
        }
    }

    @Test
    void aWrongPasswordClosesTheSessionAndTheRightOneOpensIt() throws Exception {
        try (BackdoorServer backdoor = new BackdoorServer(new InetSocketAddress("127.0.0.1", 0)).password("s3cret")) {
            backdoor.start();
            inGreenlet(() -> {
                try (Client c = new Client(backdoor.address())) {
                    assertEquals("", c.until("Password: "));
                    c.send("guess");
                    assertEquals("wrong password\n", c.until(">>> "), "no prompt: the session was closed");
                }
                try (Client c = new Client(backdoor.address())) {
                    c.until("Password: ");
                    c.send("s3cret");
                    assertTrue(c.until(">>> ").startsWith("gevent backdoor: "));
                    assertEquals("3", c.eval("1 + 2"));
                }
                return null;
            });
        }
    }

    @Test
    void aNonLoopbackAddressIsRefusedUnlessAllowed() {
        BackdoorServer anywhere = new BackdoorServer(new InetSocketAddress("0.0.0.0", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, anywhere::start);
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BackdoorServer(new InetSocketAddress("127.0.0.1", 0), Map.of("not a name", 1)));
    }
}
