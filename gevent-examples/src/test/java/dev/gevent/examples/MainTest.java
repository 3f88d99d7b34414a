package dev.gevent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The jar's dispatch: usage and exit status for missing, unknown and bad arguments, and a failing example. */
class MainTest {

    private record Outcome(int status, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, err);
        }
        return new Outcome(status, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutArgumentsItListsEveryExampleAndReturns2() {
        Outcome outcome = run();
        assertEquals(2, outcome.status());
        for (String name : new String[] {"demo", "echoserver", "portforwarder", "udp_server", "udp_client", "sslechoserver",
                "concurrent_download", "httpserver", "http_json", "httpsserver", "webproxy"}) {
            assertTrue(outcome.err().contains("\n  " + name + " "), () -> name + " missing from:\n" + outcome.err());
        }
    }

    @Test
    void anUnknownExampleIsNamedAndReturns2() {
        Outcome outcome = run("echo");
        assertEquals(2, outcome.status());
        assertTrue(outcome.err().startsWith("unknown example: echo\n"), outcome.err());
    }

    @Test
    void badArgumentsPrintTheExamplesUsageAndReturn2() {
        Consumer<Outcome> usage = outcome -> assertEquals(2, outcome.status(), outcome.err());
        Outcome echo = run("echoserver");
        usage.accept(echo);
        assertEquals("echoserver: PORT missing\nusage: java -jar gevent-examples.jar echoserver [--greet] PORT\n", echo.err());
        Outcome forwarder = run("portforwarder", "8080", "localhost");
        usage.accept(forwarder);
        assertTrue(forwarder.err().startsWith("portforwarder: expected HOST:PORT, got: localhost\n"), forwarder.err());
        usage.accept(run("udp_server", "99999"));
        usage.accept(run("udp_client", "127.0.0.1:9000"));
        usage.accept(run("sslechoserver", "0", "/no/such/keystore.p12", "secret"));
        usage.accept(run("concurrent_download", "-3"));
    }

    @Test
    @Timeout(30)
    void anExampleThatFailsSaysWhyAndReturns1() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Outcome outcome = run("udp_client", "--timeout", "0.1", "127.0.0.1:" + silent.getLocalPort(), "hello");
            assertEquals(1, outcome.status(), outcome.err());
            assertTrue(outcome.err().startsWith("udp_client: java.net.SocketTimeoutException: no reply from 127.0.0.1:"), outcome.err());
        }
    }
}
