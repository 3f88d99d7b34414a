package dev.gevent.tck.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.http.HttpServer;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the server refuses before a handler runs, each with its status and the connection closed
 * after the answer: a request line over 8 KiB (414), a header section over 64 KiB or 100 fields
 * (431), a body over the configured limit (413, for a declared length and for a chunked body), an
 * HTTP version other than 1.x (505), a transfer coding other than chunked (501), an expectation
 * other than 100-continue (417), and malformed syntax (400).
 */
@GeventTck
public class HttpLimitsTck {

    private static void expect(HttpServer server, String request, int status) throws IOException {
        try (RawClient client = new RawClient(server.getAddress())) {
            Wire.Response r = client.send(request).read();
            assertEquals(status, r.status(), () -> "for " + request.substring(0, Math.min(80, request.length())) + ": " + r.text());
            assertEquals("close", r.header("Connection"));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void aRequestLineOver8KiBIs414() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try {
            expect(server, "GET /" + "a".repeat(8 * 1024) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414);
            try (RawClient client = new RawClient(server.getAddress())) {
                String almost = "GET /" + "a".repeat(8 * 1024 - 20) + " HTTP/1.1\r\nHost: t\r\n\r\n";
                assertEquals(200, client.send(almost).read().status());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aHeaderSectionOver64KiBIs431() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try {
            expect(server, "GET / HTTP/1.1\r\nHost: t\r\nBig: " + "b".repeat(64 * 1024) + "\r\n\r\n", 431);
            try (RawClient client = new RawClient(server.getAddress())) {
                String almost = "GET / HTTP/1.1\r\nHost: t\r\nBig: " + "b".repeat(60 * 1024) + "\r\n\r\n";
                assertEquals(200, client.send(almost).read().status());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void moreThan100HeaderFieldsIs431() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try {
            StringBuilder fields = new StringBuilder("Host: t\r\n");
            for (int i = 1; i < 100; i++) {
                fields.append("X-").append(i).append(": v\r\n");
            }
            try (RawClient client = new RawClient(server.getAddress())) {
                assertEquals(200, client.send("GET / HTTP/1.1\r\n" + fields + "\r\n").read().status());
            }
            expect(server, "GET / HTTP/1.1\r\n" + fields + "X-100: v\r\n\r\n", 431);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBodyOverTheLimitIs413AndTheHandlerNeverRuns() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        HttpServer server = Servers.start(exchange -> {
            handled.incrementAndGet();
            Servers.echo(exchange);
        }).maxRequestBody(100);
        try {
            expect(server, "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 101\r\n\r\n" + "x".repeat(101), 413);
            assertEquals(0, handled.get());
            try (RawClient client = new RawClient(server.getAddress())) {
                Wire.Response r = client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n" + "x".repeat(100)).read();
                assertEquals(200, r.status());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        HttpServer server = Servers.start(Servers::echo).maxRequestBody(100);
        try {
            expect(server, "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "40\r\n" + "x".repeat(64) + "\r\n40\r\n" + "y".repeat(64) + "\r\n0\r\n\r\n", 413);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void malformedRequestsAre400() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try {
            String[] bad = {
                "GARBAGE\r\n\r\n",
                "GET  / HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: t\r\nNo colon here\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: t\r\nName : space before colon\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n folded\r\n\r\n",
                "GET / HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET /a%zz HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET /a\"b HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET nothing-like-a-uri HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 12x\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: t\r\nX: ctl\u0001char\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            };
            for (String request : bad) {
                expect(server, request, 400);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void unsupportedVersionsCodingsAndExpectationsHaveTheirOwnStatus() throws Exception {
        HttpServer server = Servers.start(Servers::echo);
        try {
            expect(server, "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505);
            expect(server, "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
            expect(server, "POST / HTTP/1.1\r\nHost: t\r\nExpect: teapot\r\n\r\n", 417);
        } finally {
            server.stop(0);
        }
    }
}
