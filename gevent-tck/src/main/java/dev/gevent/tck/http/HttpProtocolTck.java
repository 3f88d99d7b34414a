package dev.gevent.tck.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.event.AsyncResult;
import dev.gevent.event.Event;
import dev.gevent.http.HttpServer;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 on the wire, checked with a raw-socket client: keep-alive, pipelining in one write,
 * chunked bodies both ways (a request body split over many small writes), {@code Expect:
 * 100-continue}, HEAD, {@code Connection: close}, HTTP/1.0 clients, and bodies that responses to
 * 204, 304 and length -1 do not have.
 */
@GeventTck
public class HttpProtocolTck {

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try (RawClient client = new RawClient(server.getAddress())) {
            for (int i = 0; i < 5; i++) {
                Wire.Response r = client.send("GET /k" + i + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertEquals(200, r.status());
                assertEquals("GET /k" + i + " ", r.text());
                assertNull(r.header("Connection"));
                assertTrue(r.header("Date").endsWith(" GMT"), r.header("Date"));
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void pipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try (RawClient client = new RawClient(server.getAddress())) {
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                burst.append(i % 3 == 0
                        ? "POST /p" + i + " HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nb" + (i < 10 ? "0" : "") + i
                        : "GET /p" + i + " HTTP/1.1\r\nHost: t\r\n\r\n");
            }
            client.send(burst.toString());
            for (int i = 0; i < 20; i++) {
                Wire.Response r = client.read();
                assertEquals(200, r.status());
                assertEquals(i % 3 == 0 ? "POST /p" + i + " b" + (i < 10 ? "0" : "") + i : "GET /p" + i + " ", r.text());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aFinishedResponseDoesNotWaitForALaterPipelinedHandlerThatBlocks() throws Exception {
        Event release = new Event();
        HttpServer server = Servers.start(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/blocks")) {
                release.await();
            }
            Servers.respond(exchange, 200, exchange.getRequestURI().getPath());
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            // were the first response kept until the second handler writes, this read would time out
            client.socket.setTimeout(Duration.ofSeconds(5));
            client.send("GET /first HTTP/1.1\r\nHost: t\r\n\r\nGET /blocks HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /third HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals("/first", client.read().text());
            release.set();
            assertEquals("/blocks", client.read().text());
            assertEquals("/third", client.read().text());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aFinishedResponseDoesNotWaitForALaterPipelinedRequestsBody() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try (RawClient client = new RawClient(server.getAddress())) {
            client.socket.setTimeout(Duration.ofSeconds(5));
            // the second handler blocks reading a body that the client sends only once it has the first response
            client.send("GET /first HTTP/1.1\r\nHost: t\r\n\r\nPOST /second HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\n");
            assertEquals("GET /first ", client.read().text());
            client.send("body");
            assertEquals("POST /second body", client.read().text());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aChunkedRequestBodySplitAcrossManySmallWritesArrivesWhole() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try (RawClient client = new RawClient(server.getAddress())) {
            String request = "POST /chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n1;ext=1\r\n,\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n";
            byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < bytes.length; i += 2) {
                client.send(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 2)));
                Gevent.sleep();
            }
            Wire.Response r = client.read();
            assertEquals(200, r.status());
            assertEquals("POST /chunks hello, world", r.text());
            assertEquals(200, client.send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void lengthZeroSendsAChunkedResponse() throws Exception {
        HttpServer server = Servers.start(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("one,".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("two,".getBytes(StandardCharsets.UTF_8));
                out.write(new byte[20_000]);
                out.write("three".getBytes(StandardCharsets.UTF_8));
            }
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            for (int i = 0; i < 2; i++) {
                Wire.Response r = client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertEquals("chunked", r.header("Transfer-Encoding"));
                assertEquals(4 + 4 + 20_000 + 5, r.body().length);
                assertTrue(r.text().startsWith("one,two,") && r.text().endsWith("three"));
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void expectContinueGetsA100WhenTheHandlerReadsTheBody() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try (RawClient client = new RawClient(server.getAddress())) {
            client.send("PUT /up HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            Wire.Response interim = client.read();
            assertEquals(100, interim.status());
            Wire.Response r = client.send("data").read();
            assertEquals(200, r.status());
            assertEquals("PUT /up data", r.text());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void expectContinueAnsweredWithoutReadingTheBodySendsNo100AndCloses() throws Exception {
        HttpServer server = Servers.start(exchange -> Servers.respond(exchange, 401, "no"));
        try (RawClient client = new RawClient(server.getAddress())) {
            Wire.Response r = client.send("PUT /up HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n")
                    .read();
            assertEquals(401, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(client.closedByServer());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void headGetsTheHeadersOfAGetAndNoBody() throws Exception {
        HttpServer server = Servers.start(exchange -> Servers.respond(exchange, 200, "a body of 21 bytes..."));
        try (RawClient client = new RawClient(server.getAddress())) {
            client.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n");
            Wire.Response head = client.readHead();
            assertEquals(200, head.status());
            assertEquals("21", head.header("Content-Length"));
            Wire.Response get = client.read();
            assertEquals("a body of 21 bytes...", get.text());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try (RawClient client = new RawClient(server.getAddress())) {
            Wire.Response r = client.send("GET /c HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();
            assertEquals(200, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(client.closedByServer());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aHandlerSettingConnectionCloseEndsTheConnection() throws Exception {
        HttpServer server = Servers.start(exchange -> {
            exchange.getResponseHeaders().set("Connection", "close");
            Servers.respond(exchange, 200, "bye");
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            assertEquals("bye", client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
            assertTrue(client.closedByServer());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void http10ClientsGetOneResponseUnlessTheyAskForKeepAlive() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try (RawClient client = new RawClient(server.getAddress())) {
            Wire.Response r = client.send("GET /old HTTP/1.0\r\n\r\n").read();
            assertEquals("GET /old ", r.text());
            assertEquals("close", r.header("Connection"));
            assertTrue(client.closedByServer());
        }
        try (RawClient client = new RawClient(server.getAddress())) {
            for (int i = 0; i < 3; i++) {
                Wire.Response r = client.send("GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
                assertEquals("keep-alive", r.header("Connection"));
                assertEquals("GET /ka ", r.text());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aChunkedResponseToAnHttp10ClientEndsWithTheConnection() throws Exception {
        HttpServer server = Servers.start(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("streamed".getBytes(StandardCharsets.UTF_8));
            }
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            Wire.Response r = client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertNull(r.header("Transfer-Encoding"));
            assertNull(r.header("Content-Length"));
            assertEquals("streamed", r.text());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void responsesWithoutABodyHaveNone() throws Exception {
        HttpServer server = Servers.start(exchange -> {
            exchange.getRequestBody().close();
            int code = Integer.parseInt(exchange.getRequestURI().getPath().substring(1));
            exchange.sendResponseHeaders(code, code == 200 ? -1 : 5);
            exchange.close();
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            client.send("GET /204 HTTP/1.1\r\nHost: t\r\n\r\nGET /304 HTTP/1.1\r\nHost: t\r\n\r\nGET /200 HTTP/1.1\r\nHost: t\r\n\r\n");
            Wire.Response noContent = client.read();
            assertEquals(204, noContent.status());
            assertNull(noContent.header("Content-Length"));
            assertEquals(304, client.read().status());
            Wire.Response empty = client.read();
            assertEquals(200, empty.status());
            assertEquals("0", empty.header("Content-Length"));
            assertEquals(0, empty.body().length);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreadRequestBodyIsDiscardedAndTheConnectionKept() throws Exception {
        HttpServer server = Servers.start(exchange -> Servers.respond(exchange, 200, "ignored your body"));
        try (RawClient client = new RawClient(server.getAddress())) {
            client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789"
                    + "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /last HTTP/1.1\r\nHost: t\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                assertEquals("ignored your body", client.read().text());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anExchangeThatNothingEndsAfterItsHandlerReturnedGets500AfterTheIdleTimeout() throws Exception {
        AsyncResult<Throwable> reported = new AsyncResult<>();
        Gevent.getHub().setErrorHandler((context, error) -> reported.set(error));
        HttpServer server = HttpServer.create(Servers.ANY_PORT, 0).idleTimeout(Duration.ofMillis(200));
        server.createContext("/", exchange -> { });
        server.start();
        try (RawClient client = new RawClient(server.getAddress())) {
            assertEquals(500, client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertTrue(client.closedByServer());
            assertTrue(reported.get().getMessage().contains("did not end within the idle timeout"), reported.get().getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aResponseBodyClosedShortOfItsLengthClosesTheConnection() throws Exception {
        AsyncResult<Throwable> failure = new AsyncResult<>();
        HttpServer server = Servers.start(exchange -> {
            exchange.sendResponseHeaders(200, 10);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[4]);
            try {
                out.close();
                failure.set(null);
            } catch (IOException e) {
                failure.set(e);
            }
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertInstanceOf(IOException.class, failure.get());
            InputStream in = client.socket.inputStream();
            byte[] all = in.readAllBytes();
            assertTrue(new String(all, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK\r\n"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void writingPastTheDeclaredLengthFails() throws Exception {
        AsyncResult<Throwable> failure = new AsyncResult<>();
        HttpServer server = Servers.start(exchange -> {
            exchange.sendResponseHeaders(200, 3);
            try (OutputStream out = exchange.getResponseBody()) {
                try {
                    out.write(new byte[4]);
                    failure.set(null);
                } catch (IOException e) {
                    failure.set(e);
                }
                out.write(new byte[3]);
            }
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            Wire.Response r = client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertArrayEquals(new byte[3], r.body());
            assertInstanceOf(IOException.class, failure.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aReadOfTheBodyThatTimesOutEndsTheConnection() throws Exception {
        HttpServer server = Servers.start(Servers::echo).idleTimeout(Duration.ofMillis(200));
        try (RawClient client = new RawClient(server.getAddress())) {
            client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nonly5");
            assertEquals(408, client.read().status());
            assertTrue(client.closedByServer());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void responseHeadersAreWrittenWhateverTheirSizeAndABadNameIsRefused() throws Exception {
        AsyncResult<Throwable> injected = new AsyncResult<>();
        String big = "v".repeat(40_000);
        HttpServer server = Servers.start(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/inject")) {
                // Headers itself refuses CR and LF; a space in a name gets as far as the server
                exchange.getResponseHeaders().add("X-Evil Name", "v");
                try {
                    exchange.sendResponseHeaders(200, -1);
                    injected.set(null);
                } catch (IOException e) {
                    injected.set(e);
                }
                exchange.getResponseHeaders().remove("X-Evil Name");
                Servers.respond(exchange, 200, "clean");
                return;
            }
            exchange.getResponseHeaders().add("X-Big", big);
            for (int i = 0; i < 50; i++) {
                exchange.getResponseHeaders().add("X-Many-" + i, "value " + i);
            }
            Servers.respond(exchange, 200, "big");
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            Wire.Response r = client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertEquals(big, r.header("X-Big"));
            assertEquals("value 49", r.header("X-Many-49"));
            assertEquals("big", r.text());
            Wire.Response clean = client.send("GET /inject HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertInstanceOf(IOException.class, injected.get());
            assertEquals("clean", clean.text());
            assertNull(clean.header("X-Evil Name"));
        } finally {
            server.stop(0);
        }
    }
}
