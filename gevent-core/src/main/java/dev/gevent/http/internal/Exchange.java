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
 * 1xx, 204 and 304 responses have none either. As in the JDK, the exchange does not end when
 * its handler returns: a handler may hand it to another thread or greenlet, which answers later;
 * the connection waits for it, each wait for the next step bounded by the server's idle timeout
 * (then a 500 if nothing was sent, and the connection closed). Request headers are parsed from the
 * connection's buffer when first asked for, so they are to be asked for before the exchange ends
 * (later: an {@link IllegalStateException}).
 *
 * <p>Thread-safety: used by one thread at a time. Called from the connection's greenlet, its I/O
 * runs there; from any other thread or greenlet (the server's executor, or whoever the exchange
 * was handed to), its I/O is relayed to the connection's hub: run by the connection's greenlet
 * once the handler has returned, and meanwhile, if the handler runs in that greenlet (it may be
 * blocked waiting for the other thread), by a greenlet of its own, the handler's own I/O then
 * queued behind the relayed steps.
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
    /** Carries I/O from other threads to the connection's greenlet; made by the first one. */
    private volatile Relay relay;
    /** The connection is done with this exchange: later I/O fails, closing is a no-op. */
    private boolean ended;
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
        if (connection.inGreenlet()) {
            // while another greenlet serves the relayed steps, this one's go in line with them
            return connection.relayServed() ? relay.call(step) : connection.runDirect(step);
        }
        Relay r = relay;
        return (r != null ? r : relay()).call(step);
    }

    /** @return the relay of this exchange's I/O from other threads, made now if need be. Any thread. */
    Relay relay() {
        Relay r;
        synchronized (this) {
            r = relay;
            if (r != null) {
                return r;
            }
            r = new Relay();
            relay = r;
            if (ended) {
                r.close();
            }
        }
        if (!connection.inGreenlet()) {
            connection.relayMade(this);
        }
        return r;
    }

    /** In the connection's greenlet: the exchange is over; what other threads still send fails. */
    synchronized void end() {
        ended = true;
        if (relay != null) {
            relay.close();
        }
    }

    private synchronized boolean ended() {
        return ended;
    }

    /** The exchange cannot finish: the connection closes. Any thread. */
    private void abort() {
        connection.abort();
        Relay r = relay;
        if (r != null) {
            r.wake();
        }
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
        if (ended()) {
            return;
        }
        try {
            getRequestBody().close();
            getResponseBody().close();
        } catch (IOException e) {
            if (!ended()) {
                abort();
            }
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
                if (ended()) {
                    return;
                }
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
                abort();
                return;
            }
            if (ended()) {
                return;
            }
            io(() -> {
                connection.endResponse();
                return null;
            });
        }
    }
}
