package dev.gevent.tck.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import dev.gevent.Gevent;
import dev.gevent.http.HttpServer;
import dev.gevent.tck.GeventTck;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Throws 100,000 random and mutated requests at the server's parser and connection (one to four
 * pipelined per connection, delivered in random pieces), most through an in-memory socket and a
 * share over loopback sockets: each connection ends; nothing escapes to the hub's error handler;
 * the output is well-formed HTTP; a valid request gets its echo (never a 500); a mutated one gets an
 * echo or a 4xx/5xx refusal that is not 500.
 *
 * <p>Seeded: {@code -Dgevent.tck.httpFuzzSeed=N} replays a run; a failure names its case.
 */
@GeventTck
public class HttpFuzzTck {
    private static final int MEMORY_CASES = 100_000;
    private static final int SOCKET_CASES = 400;
    private static final Set<Integer> REFUSALS = Set.of(400, 404, 408, 413, 414, 417, 431, 501, 505);
    private static final long SEED = Long.getLong("gevent.tck.httpFuzzSeed", 20_261_206L);

    /** The echo rule of {@link RequestGenerator}; HEAD gets a 204. */
    private static void echo(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        byte[] text = (exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                + new String(body, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        exchange.sendResponseHeaders(200, text.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(text);
        }
    }

    private record Case(List<RequestGenerator.Request> requests, byte[] bytes, boolean mutated) {
        String describe(long number) {
            return "case " + number + " (seed " + SEED + (mutated ? ", mutated" : "") + "): "
                    + new String(bytes, 0, Math.min(bytes.length, 600), StandardCharsets.ISO_8859_1)
                    .replace("\r", "\\r").replace("\n", "\\n\n");
        }
    }

    private static Case nextCase(RequestGenerator generator, long number) {
        int count = 1 + generator.random().nextInt(4);
        List<RequestGenerator.Request> requests = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            RequestGenerator.Request r = generator.valid(i == count - 1);
            requests.add(r);
            bytes.writeBytes(r.bytes());
        }
        boolean mutated = number % 2 == 1;
        byte[] all = bytes.toByteArray();
        return new Case(requests, mutated ? generator.mutate(all) : all, mutated);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void randomAndMutatedRequestsNeverHangFailOrGet500() throws Exception {
        List<Throwable> reported = new ArrayList<>();
        Gevent.getHub().setErrorHandler((context, error) -> reported.add(error));
        RequestGenerator generator = new RequestGenerator(SEED);
        HttpServer inMemory = HttpServer.create();
        inMemory.createContext("/", HttpFuzzTck::echo);
        for (long n = 0; n < MEMORY_CASES - SOCKET_CASES; n++) {
            Case c = nextCase(generator, n);
            MemorySocket socket = new MemorySocket(c.bytes(), generator.splits(c.bytes().length));
            inMemory.serveConnection(socket);
            check(c, socket.written(), n, reported);
        }
        HttpServer server = Servers.start(HttpFuzzTck::echo);
        try {
            for (long n = MEMORY_CASES - SOCKET_CASES; n < MEMORY_CASES; n++) {
                Case c = nextCase(generator, n);
                byte[] output;
                try (RawClient client = new RawClient(server.getAddress())) {
                    int start = 0;
                    for (int end : generator.splits(c.bytes().length)) {
                        client.send(Arrays.copyOfRange(c.bytes(), start, end));
                        start = end;
                        Gevent.sleep();
                    }
                    client.socket.shutdownOutput();
                    output = client.socket.inputStream().readAllBytes();
                } catch (IOException e) {
                    throw new AssertionError(c.describe(n), e);
                }
                check(c, output, n, reported);
            }
        } finally {
            server.stop(0);
        }
    }

    private static void check(Case c, byte[] output, long n, List<Throwable> reported) {
        try {
            if (!reported.isEmpty()) {
                throw new AssertionError("reported to the hub: " + reported.get(0), reported.get(0));
            }
            InputStream in = new ByteArrayInputStream(output);
            if (!c.mutated()) {
                for (RequestGenerator.Request r : c.requests()) {
                    Wire.Response response = Wire.read(in, false);
                    assertNotNull(response, "a response to each request");
                    if (r.head()) {
                        assertEquals(204, response.status());
                    } else {
                        assertEquals(200, response.status(), response::text);
                        assertEquals(r.expectedBody(), new String(response.body(), StandardCharsets.ISO_8859_1));
                    }
                }
                assertNull(Wire.read(in, false), "nothing after the responses");
                return;
            }
            Wire.Response response;
            int count = 0;
            while ((response = Wire.read(in, false)) != null) {
                int status = response.status();
                assertTrue(status == 200 || status == 204 || REFUSALS.contains(status), "status " + status + ": " + response.text());
                count++;
            }
            assertTrue(count <= c.requests().size() + 8, "more responses than requests could make: " + count);
        } catch (AssertionError | IOException e) {
            fail(c.describe(n) + "\n--- output: " + HexFormat.of().formatHex(output, 0, Math.min(output.length, 200))
                    + "\n" + new String(output, 0, Math.min(output.length, 600), StandardCharsets.ISO_8859_1), e);
        }
    }
}
