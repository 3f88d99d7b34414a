package dev.gevent.http.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * One request and its response on a {@link Connection} (the JDK's {@link HttpExchange}).
 *
 * <p>The contract is the JDK's: {@link #sendResponseHeaders} with a length of 0 sends a chunked
 * body (close-delimited to an HTTP/1.0 client), -1 none; the exchange ends when the response body
 * is closed (or {@link #close()} is called), which also discards what the handler left unread of
 * the request body. A HEAD response never carries a body (what the handler writes is dropped);
 * 1xx, 204 and 304 responses have none either. What this server adds: a handler that returns
 * without ending its exchange has it ended for it (a 500 if nothing was sent yet); request
 * headers are parsed from the connection's buffer when first asked for, so they are to be asked
 * for while the exchange runs (later: an {@link IllegalStateException}).
 *
 * <p>Thread-safety: used by one thread at a time, the one running the handler (the connection's
 * greenlet, or the thread of the server's executor, whose I/O is then relayed to the greenlet).
 */
class Exchange extends HttpExchange {
    /** Does one I/O step of the exchange on the connection. */
    @FunctionalInterface
    interface IoStep<T> {
        T run() throws IOException;
    }

    final Connection connection;
    final Context context;
    private final String method;
    private final URI uri;
    private Headers requestHeaders;
    private final Headers responseHeaders = new Headers();
    private Map<String, Object> attributes;
    private HttpPrincipal principal;
    private InputStream requestBody;
    private OutputStream responseBody;
    private InputStream filteredRequestBody;
    private OutputStream filteredResponseBody;
    /** Non-null while a handler runs on the server's executor: I/O goes through it. */
    Relay relay;
    int responseCode = -1;
    /** What the handler and filters see: this, or the HTTPS view of this. */
    HttpExchange view = this;

    Exchange(Connection connection, Context context, String method, URI uri) {
        this.connection = connection;
        this.context = context;
        this.method = method;
        this.uri = uri;
    }

    /** Copies out of the connection's input buffer what is still read from it lazily. */
    void captureHead() {
        getRequestHeaders();
    }

    private <T> T io(IoStep<T> step) throws IOException {
        Relay r = relay;
        return r == null ? step.run() : r.call(step);
    }

    @Override
    public Headers getRequestHeaders() {
        if (requestHeaders == null) {
            requestHeaders = connection.requestHeaders(this);
        }
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return method;
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    @Override
    public void close() {
        try {
            getRequestBody().close();
            getResponseBody().close();
        } catch (IOException e) {
            connection.abort();
        }
    }

    @Override
    public InputStream getRequestBody() {
        if (filteredRequestBody != null) {
            return filteredRequestBody;
        }
        if (requestBody == null) {
            requestBody = new RequestBody();
        }
        return requestBody;
    }

    @Override
    public OutputStream getResponseBody() {
        if (filteredResponseBody != null) {
            return filteredResponseBody;
        }
        if (responseBody == null) {
            responseBody = new ResponseBody();
        }
        return responseBody;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        if (rCode < 100 || rCode > 599) {
            throw new IllegalArgumentException("response code out of range 100-599: " + rCode);
        }
        if (responseLength < -1) {
            throw new IllegalArgumentException("response length must be -1 (no body), 0 (chunked) or positive: " + responseLength);
        }
        if (responseCode >= 200) {
            throw new IOException("response headers already sent (" + responseCode + ")");
        }
        io(() -> {
            connection.sendResponseHeaders(this, rCode, responseLength);
            return null;
        });
        responseCode = rCode;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public int getResponseCode() {
        return responseCode;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return connection.localAddress();
    }

    @Override
    public String getProtocol() {
        return connection.protocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes == null ? null : attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            filteredRequestBody = i;
        }
        if (o != null) {
            filteredResponseBody = o;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return principal;
    }

    void setPrincipal(HttpPrincipal principal) {
        this.principal = principal;
    }

    @Override
    public String toString() {
        return "HttpExchange[" + method + " " + getRequestURI() + ", " + connection + "]";
    }

    /** The request body: bytes as they come, de-chunked; -1 at its end. */
    private final class RequestBody extends InputStream {
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("the request body stream is closed");
            }
            if (len == 0) {
                return 0;
            }
            return io(() -> connection.readBody(b, off, len));
        }

        @Override
        public int available() throws IOException {
            return closed ? 0 : io(connection::bufferedBody);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                io(() -> {
                    connection.discardBody();
                    return null;
                });
            }
        }
    }

    /** The response body, framed as sendResponseHeaders said. */
    private final class ResponseBody extends OutputStream {
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            check();
            if (len > 0) {
                io(() -> {
                    connection.writeBody(b, off, len);
                    return null;
                });
            }
        }

        @Override
        public void flush() throws IOException {
            check();
            io(() -> {
                connection.flush();
                return null;
            });
        }

        private void check() throws IOException {
            if (closed) {
                throw new IOException("the response body stream is closed");
            }
            if (responseCode < 200) {
                throw new IOException("sendResponseHeaders must be called before the response body is written");
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (responseCode < 200) {
                // the JDK's answer to an exchange closed before any response: drop the connection
                connection.abort();
                return;
            }
            io(() -> {
                connection.endResponse();
                return null;
            });
        }
    }
}
