package dev.gevent.tck.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.event.AsyncResult;
import dev.gevent.event.Event;
import dev.gevent.http.HttpServer;
import dev.gevent.socket.Socket;
import dev.gevent.tck.GeventTck;
import dev.gevent.tck.OpenFileDescriptors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Failures on either side: a handler that throws (500, the connection closed, the error reported),
 * a client that stalls in its headers (408 after the header timeout), an idle kept-alive connection
 * (closed after the idle timeout), a client that disconnects mid-response (the handler's write
 * fails, the server goes on); and the graceful {@code stop(delay)}.
 */
@GeventTck
public class HttpFailureTck {

    @Test
    void aHandlerThatThrowsGets500TheConnectionClosedAndTheErrorReported() throws Exception {
        AsyncResult<Throwable> reported = new AsyncResult<>();
        Gevent.getHub().setErrorHandler((context, error) -> reported.set(error));
        HttpServer server = Servers.start(exchange -> {
            throw new IllegalStateException("handler bug");
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            Wire.Response r = client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\nGET /never HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertEquals(500, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(client.closedByServer());
            assertEquals("handler bug", reported.get().getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aClientThatStallsMidHeadersGets408() throws Exception {
        HttpServer server = Servers.start(Servers::echo).headerTimeout(Duration.ofMillis(200));
        try (RawClient client = new RawClient(server.getAddress())) {
            Wire.Response r = client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ").read();
            assertEquals(408, r.status());
            assertTrue(client.closedByServer());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aClientTricklingItsHeadersIsCutOffAtTheHeaderTimeoutNotPerRead() throws Exception {
        HttpServer server = Servers.start(Servers::echo).headerTimeout(Duration.ofMillis(300));
        try (RawClient client = new RawClient(server.getAddress())) {
            client.send("GET / HTTP/1.1\r\n");
            Greenlet<Void> trickle = Gevent.spawn(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        client.send("X-" + i + ": v\r\n");
                        Gevent.sleep(Duration.ofMillis(50));
                    }
                } catch (IOException e) {
                    // the server closed
                }
            });
            assertEquals(408, client.read().status());
            trickle.kill();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        HttpServer server = Servers.start(Servers::echo).idleTimeout(Duration.ofMillis(200));
        try (RawClient client = new RawClient(server.getAddress())) {
            assertEquals(200, client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertTrue(client.closedByServer());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aClientThatDisconnectsMidResponseFailsTheHandlersWriteAndTheServerGoesOn() throws Exception {
        AsyncResult<Throwable> writeFailure = new AsyncResult<>();
        HttpServer server = Servers.start(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/ok")) {
                Servers.respond(exchange, 200, "fine");
                return;
            }
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] piece = new byte[64 * 1024];
                for (int i = 0; i < 100_000; i++) {
                    out.write(piece);
                }
                writeFailure.set(null);
            } catch (IOException e) {
                writeFailure.set(e);
                throw e;
            }
        });
        try {
            try (RawClient client = new RawClient(server.getAddress())) {
                client.send("GET /endless HTTP/1.1\r\nHost: t\r\n\r\n");
                InputStream in = client.socket.inputStream();
                assertEquals(1024, in.readNBytes(1024).length);
            }
            assertInstanceOf(IOException.class, writeFailure.get());
            try (RawClient client = new RawClient(server.getAddress())) {
                assertEquals("fine", client.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void stopClosesIdleConnectionsAndLetsRunningExchangesFinish() throws Exception {
        Event inHandler = new Event();
        Event release = new Event();
        HttpServer server = Servers.start(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/slow")) {
                inHandler.set();
                release.await();
            }
            Servers.respond(exchange, 200, "done " + exchange.getRequestURI().getPath());
        });
        try (RawClient busy = new RawClient(server.getAddress()); RawClient idle = new RawClient(server.getAddress())) {
            assertEquals(200, idle.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            inHandler.await();
            Greenlet<Void> stopping = Gevent.spawn(() -> server.stop(10));
            assertTrue(idle.closedByServer());
            assertThrows(ConnectException.class, () -> Socket.connect(server.getAddress()).close());
            release.set();
            Wire.Response r = busy.read();
            assertEquals("done /slow", r.text());
            assertEquals("close", r.header("Connection"));
            stopping.get();
            assertTrue(busy.closedByServer());
        }
    }

    @Test
    void stopEndsExchangesStillRunningAfterTheDelay() throws Exception {
        Event inHandler = new Event();
        HttpServer server = Servers.start(exchange -> {
            inHandler.set();
            new Event().await();
        });
        try (RawClient client = new RawClient(server.getAddress())) {
            client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            inHandler.await();
            server.stop(0);
            assertNull(client.read());
        }
    }

    @Test
    void connectionsEndedEveryWayLeaveNoDescriptorOpen() throws Exception {
        Gevent.getHub().setErrorHandler((context, error) -> { });
        HttpServer server = Servers.start(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/throw")) {
                throw new IllegalStateException("handler bug");
            }
            Servers.echo(exchange);
        });
        String[] endings = {
            "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            "GET /throw HTTP/1.1\r\nHost: t\r\n\r\n",
            "GARBAGE\r\n\r\n",
            "GET / HTTP/1.0\r\n\r\n",
        };
        long before = OpenFileDescriptors.count();
        int rounds = 20;
        try {
            for (int i = 0; i < rounds; i++) {
                for (String request : endings) {
                    try (RawClient client = new RawClient(server.getAddress())) {
                        client.send(request).read();
                        assertTrue(client.closedByServer());
                    }
                }
                try (RawClient client = new RawClient(server.getAddress())) {
                    client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
                }
            }
        } finally {
            server.stop(0);
        }
        // a descriptor is released in the loop's next poll
        Gevent.idle();
        long grown = OpenFileDescriptors.count() - before;
        assertTrue(grown < rounds, () -> rounds * endings.length + " connections left " + grown + " more descriptors open");
    }

    @Test
    void aHandlerMayStopItsOwnServerAndStillAnswer() throws Exception {
        AsyncResult<HttpServer> self = new AsyncResult<>();
        HttpServer server = Servers.start(exchange -> {
            self.get().stop(5);
            Servers.respond(exchange, 200, "stopped");
        });
        self.set(server);
        try (RawClient client = new RawClient(server.getAddress())) {
            Wire.Response r = client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertEquals("stopped", r.text());
            assertEquals("close", r.header("Connection"));
            assertTrue(client.closedByServer());
        }
        assertThrows(ConnectException.class, () -> Socket.connect(server.getAddress()).close());
    }
}
