package dev.gevent.http.internal;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.gevent.Cancellable;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Hub;
import dev.gevent.event.Event;
import dev.gevent.internal.HubRef;
import dev.gevent.socket.StreamSocket;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP/1.x connection, served by its greenlet: reads requests (pipelined ones included) into a
 * buffer reused for the connection's life, runs each exchange, writes the responses in order.
 *
 * <p>Output is gathered in one buffer: the status line, headers and a small body go out in one
 * write, and the responses to pipelined requests already received go out together, written when
 * the next request is not yet complete or the buffer fills, or when a handler blocks: a finished
 * response never waits on a later handler (see {@link #flushWhileBlocked}). Input: a request head is parsed where it
 * lies ({@link RequestHead}); header fields and the URI become objects only when a handler asks.
 *
 * <p>Timeouts: waiting for a request's first byte is bounded by the idle timeout (the connection is
 * then closed quietly); the rest of its head must come within the header timeout of its first byte
 * (else 408); each read of a body and each write is bounded by the idle timeout.
 */
final class Connection {
    /** Enough for a usual request head; grows up to IN_MAX for a large one. */
    private static final int IN_INITIAL = 4 * 1024;
    private static final int IN_MAX = RequestHead.MAX_REQUEST_LINE + RequestHead.MAX_HEADER_BYTES + 1024;
    private static final int OUT_SIZE = 8 * 1024;
    /** A larger write than this skips the output buffer once it is empty. */
    private static final int DIRECT_WRITE = OUT_SIZE / 2;
    /** How much unread request body is discarded to keep the connection; past it, the connection closes. */
    private static final int DRAIN_LIMIT = 256 * 1024;
    private static final int MAX_CHUNK_LINE = 4096;
    private static final int MAX_EMPTY_LINES = 1024;
    /** How long a closing connection reads and drops what the client still sends, so it sees the response. */
    private static final Duration LINGER = Duration.ofSeconds(2);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    private static final int BODY_NONE = 0;
    private static final int BODY_FIXED = 1;
    private static final int BODY_CHUNKED = 2;

    /** Response framing, once the headers are sent. */
    private static final int OUT_FIXED = 1;
    private static final int OUT_CHUNKED = 2;
    /** Until the connection closes: an HTTP/1.0 client's response of unknown length. */
    private static final int OUT_RAW = 3;
    /** HEAD: what the handler writes is dropped. */
    private static final int OUT_DISCARD = 4;
    /** 204, 304, length -1: writing is an error. */
    private static final int OUT_EMPTY = 5;

    private final ServerCore server;
    private final Acceptor acceptor;
    private final StreamSocket socket;
    /** The connection's greenlet. */
    private Thread thread;
    private HubRef hub;

    private byte[] in = new byte[IN_INITIAL];
    private ByteBuffer inView = ByteBuffer.wrap(in);
    private int inPos;
    private int inEnd;
    private byte[] out = new byte[OUT_SIZE];
    private ByteBuffer outView = ByteBuffer.wrap(out);
    private int outLen;
    private byte[] scratch;

    private final RequestHead head = new RequestHead();
    /** The request's head lies in {@code in} from here until {@code headCaptured}. */
    private int headStart;
    private boolean headCaptured;
    private Exchange exchange;
    private byte[] lastTarget = new byte[0];
    private URI lastUri;

    private boolean http11;
    private boolean isHead;
    private boolean keepAlive;
    private int bodyMode;
    private long bodyLeft;
    private long bodyRead;
    private boolean bodyDone;
    private boolean chunkCrlfDue;
    private boolean continueSent;
    /**
     * The status (400, 408, 413, 431) once the request body turned out malformed, stalled or too
     * large: what a handler that then fails gets instead of a 500.
     */
    private int bodyError;

    private int outMode;
    private long outLeft;
    private boolean responseEnded;

    private Duration timeout;
    /** Closing after a response: read and drop what the client still sends first (see closeGracefully). */
    private boolean linger;
    /** True while waiting for the first byte of a request: a stopping server closes it now. */
    private volatile boolean idle;
    /** A read or write of the socket failed: the client reset or closed the connection. */
    private boolean clientGone;
    /** Set from any thread when the exchange cannot go on (the JDK's "close the connection"). */
    private volatile boolean broken;

    /** Scheduled while a handler runs with earlier responses still in the output buffer. */
    private Cancellable flushWhenBlocked;
    private final Runnable flushWhileBlocked = this::flushWhileBlocked;
    /** Writes output taken from the buffer while a handler was blocked; the connection's writes follow it. */
    private Greenlet<Void> backgroundWrite;
    private IOException backgroundFailure;

    /** The exchange whose handler runs in this greenlet now (handleHere); null otherwise. Any thread reads it. */
    private volatile Exchange handlerHere;
    /**
     * Runs the I/O that other threads relay for the exchange while its handler, here, is blocked
     * (it may wait for them); on the hub thread only.
     */
    private Greenlet<Void> relayServer;
    /** This greenlet is in an I/O step of its exchange; on the hub thread only. */
    private boolean directIo;
    private Event directIoDone;

    /**
     * @param acceptor the listener's share of the server that accepted the socket; null for a
     *     socket handed to {@link ServerCore#serveConnection}
     */
    Connection(ServerCore server, Acceptor acceptor, StreamSocket socket) {
        this.server = server;
        this.acceptor = acceptor;
        this.socket = socket;
    }

    /** Serves requests until the client or the server ends the connection. Does not close the socket. */
    void serve() {
        thread = Thread.currentThread();
        hub = HubRef.current();
        try {
            while (readHead() && runExchange()) {
                linger = false;
            }
            if (linger) {
                closeGracefully();
            }
            awaitBackgroundWrite();
        } catch (IOException e) {
            // the client went away or stalled: nothing to answer
        }
    }

    private boolean stopping() {
        return acceptor != null && acceptor.stopping();
    }

    private static void reportError(Object context, Throwable error) {
        HubRef.current().reportError(context, error);
    }

    boolean isIdle() {
        return idle;
    }

    /** @return whether the caller is the connection's greenlet, which owns the socket */
    boolean inGreenlet() {
        return Thread.currentThread() == thread;
    }

    // ---------------------------------------------------------------- reading the head

    /** @return true with a request head parsed and {@code inPos} just past it; false to close */
    private boolean readHead() throws IOException {
        boolean started = false;
        long deadline = 0;
        int emptyLines = 0;
        while (true) {
            while (inPos < inEnd && (in[inPos] == '\r' || in[inPos] == '\n') && !started) {
                inPos++;
                if (++emptyLines > MAX_EMPTY_LINES) {
                    return false;
                }
            }
            if (inPos < inEnd) {
                int end;
                try {
                    end = head.parse(in, inPos, inEnd);
                } catch (HttpError e) {
                    respondError(e.status, e.getMessage());
                    return false;
                }
                if (end != RequestHead.INCOMPLETE) {
                    headStart = inPos;
                    inPos = end;
                    return true;
                }
                if (!started) {
                    started = true;
                    deadline = System.nanoTime() + server.headerTimeout.toNanos();
                }
            }
            flushOut();
            if (!started && stopping()) {
                return false;
            }
            if (inPos == inEnd) {
                inPos = 0;
                inEnd = 0;
            } else if (inEnd == in.length) {
                if (inPos > 0) {
                    compact();
                } else if (in.length < IN_MAX) {
                    grow(Math.min(IN_MAX, in.length * 2));
                }
            }
            if (started) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    respondTimeout();
                    return false;
                }
                setTimeout(Duration.ofNanos(left));
            } else {
                setTimeout(server.idleTimeout);
            }
            int n;
            idle = !started;
            try {
                n = fill();
            } catch (SocketTimeoutException e) {
                if (started) {
                    respondTimeout();
                }
                return false;
            } finally {
                idle = false;
            }
            if (n < 0) {
                return false;
            }
        }
    }

    private void respondTimeout() throws IOException {
        respondError(408, "the request head did not arrive within " + server.headerTimeout.toMillis() + " ms");
    }

    /** Reads what the socket has into the input buffer after {@code inEnd}; -1 at its end. */
    private int fill() throws IOException {
        inView.limit(in.length).position(inEnd);
        int n = socket.read(inView);
        if (n > 0) {
            inEnd += n;
        }
        return n;
    }

    private void compact() {
        captureHead();
        System.arraycopy(in, inPos, in, 0, inEnd - inPos);
        inEnd -= inPos;
        inPos = 0;
    }

    private void grow(int size) {
        in = Arrays.copyOf(in, size);
        inView = ByteBuffer.wrap(in);
    }

    /** Makes room in the input buffer, keeping what is unread: about to overwrite the head. */
    private void makeRoom() {
        if (inPos == inEnd) {
            captureHead();
            inPos = 0;
            inEnd = 0;
        } else if (inEnd == in.length) {
            if (inPos > 0) {
                compact();
            } else {
                grow(Math.min(IN_MAX, in.length * 2));
            }
        }
    }

    private void captureHead() {
        if (exchange != null && !headCaptured) {
            exchange.captureHead();
            headCaptured = true;
        }
    }

    private void setTimeout(Duration t) {
        if (t != timeout) {
            timeout = t;
            socket.setTimeout(t);
        }
    }

    // ---------------------------------------------------------------- the exchange

    /** @return whether the connection may serve another request */
    private boolean runExchange() throws IOException {
        RequestHead h = head;
        http11 = h.minorVersion == 1;
        keepAlive = (http11 ? !h.connectionClose : h.connectionKeepAlive && !h.connectionClose) && !stopping();
        isHead = h.methodIs(in, "HEAD");
        bodyRead = 0;
        bodyError = 0;
        continueSent = false;
        chunkCrlfDue = false;
        headCaptured = false;
        outMode = 0;
        responseEnded = false;
        if (h.chunked) {
            bodyMode = BODY_CHUNKED;
            bodyLeft = 0;
            bodyDone = false;
        } else if (h.contentLength > 0) {
            if (h.contentLength > server.maxRequestBody) {
                respondError(413, "request body of " + h.contentLength + " bytes over the limit of " + server.maxRequestBody);
                return false;
            }
            bodyMode = BODY_FIXED;
            bodyLeft = h.contentLength;
            bodyDone = false;
        } else {
            bodyMode = BODY_NONE;
            bodyLeft = 0;
            bodyDone = true;
        }
        URI uri;
        try {
            uri = requestUri();
        } catch (URISyntaxException e) {
            respondError(400, "malformed request target: " + e.getMessage());
            return false;
        }
        setTimeout(server.idleTimeout);
        Context context = server.findContext(this, uri);
        Exchange ex = new Exchange(this, context, method(), uri);
        if (server.secure) {
            ex.view = new SecureExchange(ex, socket);
        }
        exchange = ex;
        try {
            try {
                Executor executor = server.executor;
                if (context == null) {
                    ex.responseCode = 404;
                    respond(404, "no context matches " + requestPath());
                } else if (executor == null) {
                    handleHere(ex);
                } else {
                    handleOn(executor, ex);
                }
            } catch (GreenletExit e) {
                throw e;
            } catch (Throwable e) {
                handlerFailed(ex, e);
                return false;
            }
            if (!responseEnded && !broken && !awaitEnd(ex)) {
                handlerFailed(ex, new IllegalStateException(ex + " did not end within the idle timeout ("
                        + server.idleTimeout.toMillis() + " ms) after its handler returned"));
                return false;
            }
            if (keepAlive && !broken) {
                discardBody();
            }
            linger = true;
            return keepAlive && !broken;
        } finally {
            ex.end();
            exchange = null;
        }
    }

    /**
     * The handler returned and its exchange goes on (the JDK allows it: it ends when closed, from
     * wherever): runs the exchange's I/O relayed from other threads until it ends. The JDK waits
     * without a limit by default (sun.net.httpserver.maxRspTime); here each wait for the next step
     * is bounded by the idle timeout, as each read and write of the connection is.
     *
     * @return false if the idle timeout passed first
     */
    private boolean awaitEnd(Exchange ex) {
        captureHead();
        return ex.relay().serveUntil(() -> responseEnded || broken, server.idleTimeout);
    }

    /**
     * Runs the exchange in this greenlet. Earlier pipelined responses may still be in the output
     * buffer: kept there, they go out with this one in one write if the handler does not block;
     * if it blocks (a long poll, a slow upstream), they go out as soon as it does, so a finished
     * response never waits on a later handler. Flushing before every handler would cost a write per
     * pipelined response; flushing on the first switch away costs one callback per such handler.
     */
    private void handleHere(Exchange ex) throws IOException {
        if (outLen > 0) {
            flushWhenBlocked = hub.hub().callSoon(flushWhileBlocked);
        }
        handlerHere = ex;
        try {
            handle(ex);
        } finally {
            handlerHere = null;
            if (flushWhenBlocked != null) {
                flushWhenBlocked.cancel();
                flushWhenBlocked = null;
            }
            if (relayServer != null) {
                // the steps relayed so far run first; this greenlet serves the later ones
                ex.relay().stop();
                relayServer.join();
                relayServer = null;
            }
        }
    }

    /**
     * Any thread, when another thread made the relay of {@code ex}: if its handler runs here, it
     * may be blocked waiting for that thread, so a greenlet of its own serves the relay meanwhile.
     */
    void relayMade(Exchange ex) {
        if (handlerHere == ex) {
            hub.hub().callThreadSafe(() -> {
                if (handlerHere == ex && relayServer == null) {
                    Relay relay = ex.relay();
                    relayServer = hub.hub().spawn(() -> {
                        // a step of the handler's own, under way, ends before a relayed one starts
                        while (directIo) {
                            directIoDone = new Event();
                            directIoDone.await();
                        }
                        relay.serveUntilStopped();
                    });
                }
            });
        }
    }

    /** @return whether a greenlet other than this one serves the exchange's relayed I/O now */
    boolean relayServed() {
        return relayServer != null;
    }

    /** Runs an I/O step of the exchange in this greenlet. */
    <T> T runDirect(Exchange.IoStep<T> step) throws IOException {
        directIo = true;
        try {
            return step.run();
        } finally {
            directIo = false;
            Event done = directIoDone;
            if (done != null) {
                directIoDone = null;
                done.set();
            }
        }
    }

    /**
     * On the hub, once the handler's greenlet switched away (it blocks): writes what the output
     * buffer holds from another greenlet, after any such write still under way.
     */
    private void flushWhileBlocked() {
        flushWhenBlocked = null;
        if (outLen == 0) {
            // the greenlet is in a write of its own, which took the buffer's content
            return;
        }
        ByteBuffer pending = ByteBuffer.wrap(Arrays.copyOf(out, outLen));
        outLen = 0;
        Greenlet<Void> previous = backgroundWrite;
        Hub hub = HubRef.current().hub();
        backgroundWrite = hub.spawn(() -> {
            if (previous != null) {
                previous.join();
            }
            if (backgroundFailure == null) {
                try {
                    socket.writeFully(pending);
                } catch (IOException e) {
                    backgroundFailure = e;
                }
            }
        });
    }

    /** Waits for output written by another greenlet (see flushWhileBlocked); rethrows its failure. */
    private void awaitBackgroundWrite() throws IOException {
        Greenlet<Void> w = backgroundWrite;
        if (w != null) {
            w.join();
            backgroundWrite = null;
        }
        if (backgroundFailure != null) {
            clientGone = true;
            throw backgroundFailure;
        }
    }

    private void handle(Exchange ex) throws IOException {
        Context context = ex.context;
        List<Filter> filters = context.getFilters();
        HttpExchange view = ex.view;
        if (filters.isEmpty()) {
            authenticateAndHandle(ex);
        } else {
            new Filter.Chain(filters, exchange -> authenticateAndHandle(ex)).doFilter(view);
        }
    }

    /** The JDK's order: the user's filters, then the authenticator, then the handler. */
    private static void authenticateAndHandle(Exchange ex) throws IOException {
        Context context = ex.context;
        Authenticator authenticator = context.getAuthenticator();
        HttpExchange view = ex.view;
        if (authenticator != null) {
            Authenticator.Result result = authenticator.authenticate(view);
            if (result instanceof Authenticator.Success success) {
                ex.setPrincipal(success.getPrincipal());
            } else {
                int code = result instanceof Authenticator.Failure failure ? failure.getResponseCode()
                        : ((Authenticator.Retry) result).getResponseCode();
                view.sendResponseHeaders(code, -1);
                view.close();
                return;
            }
        }
        HttpHandler handler = context.getHandler();
        if (handler == null) {
            throw new IllegalStateException("context " + context.getPath() + " has no handler");
        }
        handler.handle(view);
    }

    /** Runs the exchange on {@code executor}, doing its I/O here, in the connection's greenlet. */
    private void handleOn(Executor executor, Exchange ex) throws Throwable {
        captureHead();
        // the handler may take long on its thread: what earlier pipelined requests got goes out now
        flushOut();
        Relay relay = ex.relay();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        executor.execute(() -> {
            try {
                handle(ex);
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                relay.done();
            }
        });
        relay.serveUntilDone();
        Throwable e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    private void handlerFailed(Exchange ex, Throwable e) throws IOException {
        keepAlive = false;
        if (clientGone) {
            // the handler failed because the client went away: nothing to report or answer
            return;
        }
        if (bodyError == 0) {
            reportError(ex, e);
        }
        if (ex.responseCode < 200 && !broken) {
            int status = bodyError != 0 ? bodyError : 500;
            respondError(status, status == 500 ? "the handler failed" : e.getMessage());
        }
        linger = true;
    }

    /** Called from any thread: the exchange cannot finish; the connection closes. */
    void abort() {
        broken = true;
        keepAlive = false;
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }

    // ---------------------------------------------------------------- request parts for the exchange

    private String method() {
        RequestHead h = head;
        byte[] b = in;
        int len = h.methodEnd - h.methodStart;
        if (len == 3 && h.methodIs(b, "GET")) {
            return "GET";
        }
        if (len == 4) {
            if (h.methodIs(b, "POST")) {
                return "POST";
            }
            if (h.methodIs(b, "HEAD")) {
                return "HEAD";
            }
        }
        if (len == 3 && h.methodIs(b, "PUT")) {
            return "PUT";
        }
        if (len == 6 && h.methodIs(b, "DELETE")) {
            return "DELETE";
        }
        return new String(b, h.methodStart, len, StandardCharsets.ISO_8859_1);
    }

    /**
     * @return the request URI; the previous request's object when the target is the same bytes
     * @throws URISyntaxException if {@link URI} refuses the target
     */
    private URI requestUri() throws URISyntaxException {
        RequestHead h = head;
        if (lastUri != null && Arrays.equals(in, h.targetStart, h.targetEnd, lastTarget, 0, lastTarget.length)) {
            return lastUri;
        }
        URI uri = new URI(new String(in, h.targetStart, h.targetEnd - h.targetStart, StandardCharsets.ISO_8859_1));
        lastTarget = Arrays.copyOfRange(in, h.targetStart, h.targetEnd);
        lastUri = uri;
        return uri;
    }

    /** @return the request's path as the client sent it (percent-encoded), for matching contexts */
    String requestPath() {
        RequestHead h = head;
        if (in[h.targetStart] == '/') {
            return new String(in, h.targetStart, h.pathEnd - h.targetStart, StandardCharsets.ISO_8859_1);
        }
        String path = lastUri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** @return whether the request's path starts with {@code prefix}, compared as raw bytes; no allocation */
    boolean rawPathStartsWith(byte[] prefix) {
        RequestHead h = head;
        if (in[h.targetStart] != '/' || h.pathEnd - h.targetStart < prefix.length) {
            return false;
        }
        return Arrays.equals(in, h.targetStart, h.targetStart + prefix.length, prefix, 0, prefix.length);
    }

    /**
     * @return the request's path, percent-decoded (UTF-8), as contexts are matched against; for an
     *     origin-form target it is taken from the bytes, since {@link URI} reads "//a/b" as an authority
     */
    String decodedPath(URI uri) {
        RequestHead h = head;
        if (in[h.targetStart] != '/') {
            return uri.getPath();
        }
        ByteArrayOutputStream path = new ByteArrayOutputStream(h.pathEnd - h.targetStart);
        for (int i = h.targetStart; i < h.pathEnd; i++) {
            if (in[i] == '%') {
                path.write(RequestHead.hex(in[i + 1]) * 16 + RequestHead.hex(in[i + 2]));
                i += 2;
            } else {
                path.write(in[i]);
            }
        }
        return path.toString(StandardCharsets.UTF_8);
    }

    /** @return whether the target is origin-form without '%', so raw matching is exact */
    boolean hasPlainPath() {
        RequestHead h = head;
        if (in[h.targetStart] != '/') {
            return false;
        }
        for (int i = h.targetStart; i < h.pathEnd; i++) {
            if (in[i] == '%') {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the request header fields of {@code ex}, copied out of the input buffer
     * @throws IllegalStateException if {@code ex} has ended and its headers were never asked for:
     *     their bytes may have been overwritten by the next request
     */
    Headers requestHeaders(Exchange ex) {
        if (ex != exchange) {
            throw new IllegalStateException(ex + " has ended: its request headers are read while it runs");
        }
        RequestHead h = head;
        Headers headers = new Headers();
        int[] f = h.fields;
        for (int i = 0; i < h.headerCount; i++) {
            int k = i * 4;
            headers.add(new String(in, f[k], f[k + 1] - f[k], StandardCharsets.ISO_8859_1),
                    new String(in, f[k + 2], f[k + 3] - f[k + 2], StandardCharsets.ISO_8859_1));
        }
        return headers;
    }

    String protocol() {
        return http11 ? "HTTP/1.1" : "HTTP/1.0";
    }

    InetSocketAddress remoteAddress() {
        return socket.remoteAddress() instanceof InetSocketAddress a ? a : null;
    }

    InetSocketAddress localAddress() {
        return socket.localAddress() instanceof InetSocketAddress a ? a : null;
    }

    // ---------------------------------------------------------------- request body

    /** @return bytes of body now in the buffer */
    int bufferedBody() {
        if (bodyDone) {
            return 0;
        }
        long body = bodyMode == BODY_FIXED ? bodyLeft : chunkCrlfDue ? 0 : bodyLeft;
        return (int) Math.min(body, inEnd - inPos);
    }

    int readBody(byte[] b, int off, int len) throws IOException {
        if (bodyDone) {
            return -1;
        }
        if (head.expectContinue && !continueSent) {
            sendContinue();
        }
        if (bodyMode == BODY_FIXED) {
            int n = take(b, off, (int) Math.min(len, bodyLeft));
            bodyLeft -= n;
            if (bodyLeft == 0) {
                bodyDone = true;
            }
            return n;
        }
        while (bodyLeft == 0) {
            if (chunkCrlfDue) {
                expectLineEnd();
                chunkCrlfDue = false;
            }
            long size = readChunkSize();
            if (size == 0) {
                skipTrailers();
                bodyDone = true;
                return -1;
            }
            if (bodyRead + size > server.maxRequestBody) {
                throw bodyFailure(413, "chunked request body over the limit of " + server.maxRequestBody + " bytes");
            }
            bodyRead += size;
            bodyLeft = size;
        }
        int n = take(b, off, (int) Math.min(len, bodyLeft));
        bodyLeft -= n;
        if (bodyLeft == 0) {
            chunkCrlfDue = true;
        }
        return n;
    }

    private IOException bodyFailure(int status, String message) {
        bodyError = status;
        keepAlive = false;
        bodyDone = true;
        return new IOException(message);
    }

    private void sendContinue() throws IOException {
        continueSent = true;
        if (http11 && exchange != null && exchange.responseCode < 200) {
            put(CONTINUE, 0, CONTINUE.length);
            flushOut();
        }
    }

    /** Copies up to {@code want} (at least 1) body bytes into {@code b}, reading the socket when the buffer has none. */
    private int take(byte[] b, int off, int want) throws IOException {
        if (inPos == inEnd) {
            if (want >= DIRECT_WRITE) {
                int n = readBodyBytes(ByteBuffer.wrap(b, off, want));
                if (n < 0) {
                    throw bodyEnded();
                }
                return n;
            }
            fillBody();
        }
        int n = Math.min(want, inEnd - inPos);
        System.arraycopy(in, inPos, b, off, n);
        inPos += n;
        return n;
    }

    private int readBodyBytes(ByteBuffer dst) throws IOException {
        try {
            return socket.read(dst);
        } catch (SocketTimeoutException e) {
            throw bodyFailure(408, "the request body stalled for " + server.idleTimeout.toMillis() + " ms");
        } catch (IOException e) {
            clientGone = true;
            throw e;
        }
    }

    private IOException bodyEnded() {
        clientGone = true;
        keepAlive = false;
        bodyDone = true;
        return new EOFException("the client closed the connection before the end of the request body");
    }

    /** @return the index of the next LF in the input, reading more as needed (up to {@code limit} bytes) */
    private int nextLine(int limit, String what) throws IOException {
        while (true) {
            int lf = RequestHead.indexOfLf(in, inPos, Math.min(inEnd, inPos + limit));
            if (lf >= 0) {
                return lf;
            }
            if (inEnd - inPos >= limit) {
                throw bodyFailure(400, what + " over " + limit + " bytes");
            }
            fillBody();
        }
    }

    /** Reads more of the body into the input buffer, after what is unread there. */
    private void fillBody() throws IOException {
        makeRoom();
        inView.limit(in.length).position(inEnd);
        int n = readBodyBytes(inView);
        if (n < 0) {
            throw bodyEnded();
        }
        inEnd += n;
    }

    private void expectLineEnd() throws IOException {
        int lf = nextLine(2, "chunk data not followed by CRLF:");
        if (lf != inPos && !(lf == inPos + 1 && in[inPos] == '\r')) {
            throw bodyFailure(400, "chunk data not followed by CRLF");
        }
        inPos = lf + 1;
    }

    private long readChunkSize() throws IOException {
        int lf = nextLine(MAX_CHUNK_LINE, "chunk size line");
        int p = inPos;
        long size = 0;
        int digits = 0;
        while (p < lf && RequestHead.hex(in[p]) >= 0) {
            if (++digits > 15) {
                throw bodyFailure(400, "chunk size over 15 hex digits");
            }
            size = size * 16 + RequestHead.hex(in[p++]);
        }
        if (digits == 0) {
            throw bodyFailure(400, "malformed chunk size line: expected hex digits");
        }
        while (p < lf && (in[p] == ' ' || in[p] == '\t')) {
            p++;
        }
        if (p < lf && in[p] != ';' && !(p == lf - 1 && in[p] == '\r')) {
            throw bodyFailure(400, "malformed chunk size line");
        }
        for (int i = p; i < lf - 1; i++) {
            if (in[i] != '\t' && (in[i] < 0x20 && in[i] >= 0 || in[i] == 0x7F)) {
                throw bodyFailure(400, "a control character in a chunk extension");
            }
        }
        inPos = lf + 1;
        return size;
    }

    private void skipTrailers() throws IOException {
        int total = 0;
        int fields = 0;
        while (true) {
            int lf = nextLine(RequestHead.MAX_HEADER_BYTES, "trailer line");
            int len = lf - inPos;
            boolean empty = len == 0 || (len == 1 && in[inPos] == '\r');
            total += len + 1;
            inPos = lf + 1;
            if (empty) {
                return;
            }
            if (++fields > RequestHead.MAX_HEADERS || total > RequestHead.MAX_HEADER_BYTES) {
                throw bodyFailure(431, "trailer section over the header limits");
            }
        }
    }

    /** Drops what is left of the request body, up to a limit past which the connection will close instead. */
    void discardBody() {
        if (bodyDone) {
            return;
        }
        if (head.expectContinue && !continueSent) {
            // the client waits for a 100 that will not come: the body will not follow
            keepAlive = false;
            bodyDone = true;
            return;
        }
        if (scratch == null) {
            scratch = new byte[4096];
        }
        long dropped = 0;
        try {
            int n;
            while ((n = readBody(scratch, 0, scratch.length)) >= 0) {
                dropped += n;
                if (dropped > DRAIN_LIMIT) {
                    keepAlive = false;
                    bodyDone = true;
                    return;
                }
            }
        } catch (IOException e) {
            keepAlive = false;
            bodyDone = true;
        }
    }

    // ---------------------------------------------------------------- response

    void sendResponseHeaders(Exchange ex, int code, long length) throws IOException {
        Headers headers = ex.getResponseHeaders();
        if (code < 200) {
            if (http11) {
                writeHead(code, headers, -1, false);
                flushOut();
            }
            return;
        }
        if (head.expectContinue && !continueSent && !bodyDone) {
            // the client waits for a 100 that will not come now: its body will not follow
            keepAlive = false;
        }
        if (asksToClose(headers)) {
            keepAlive = false;
        }
        if (stopping()) {
            keepAlive = false;
        }
        long contentLength;
        if (isHead) {
            outMode = OUT_DISCARD;
            contentLength = length > 0 ? length : -1;
        } else if (code == 204 || code == 304) {
            outMode = OUT_EMPTY;
            contentLength = -1;
        } else if (length == -1) {
            outMode = OUT_EMPTY;
            contentLength = 0;
        } else if (length > 0) {
            outMode = OUT_FIXED;
            outLeft = length;
            contentLength = length;
        } else if (http11) {
            outMode = OUT_CHUNKED;
            contentLength = -2;
        } else {
            outMode = OUT_RAW;
            keepAlive = false;
            contentLength = -1;
        }
        writeHead(code, headers, contentLength, true);
        if (outMode == OUT_DISCARD || outMode == OUT_EMPTY) {
            responseEnded = true;
            flushIfNothingPending();
        }
    }

    /**
     * Writes the status line and headers. {@code contentLength}: -2 for chunked, -1 for no length header.
     * Checks every field as it copies it; a bad one leaves nothing written.
     */
    private void writeHead(int code, Headers headers, long contentLength, boolean framing) throws IOException {
        byte[] status = StatusLine.of(code);
        reserve(status.length + 256);
        int mark = outLen;
        int p = outLen;
        System.arraycopy(status, 0, out, p, status.length);
        p += status.length;
        boolean hasDate = false;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String name = e.getKey();
            int kind = fieldKind(name);
            if (kind == FIELD_FRAMING) {
                continue;
            }
            hasDate |= kind == FIELD_DATE;
            for (String value : e.getValue()) {
                int need = name.length() + value.length() + 4;
                if (p + need > out.length - 128) {
                    // never flush part of a head: a later field may still be refused
                    growOut(p + need + 128);
                }
                byte[] o = out;
                int q = copyField(name, o, p, true);
                if (q >= 0) {
                    o[q++] = ':';
                    o[q++] = ' ';
                    q = copyField(value, o, q, false);
                }
                if (q < 0) {
                    outLen = mark;
                    throw new IOException("response header " + name + ": a character not allowed in a header "
                            + (copyField(name, o, p, true) < 0 ? "name" : "value") + ": '" + value + "'");
                }
                o[q++] = '\r';
                o[q++] = '\n';
                p = q;
            }
        }
        outLen = p;
        if (!hasDate) {
            byte[] date = HttpDate.line();
            put(date, 0, date.length);
        }
        if (framing) {
            if (contentLength >= 0) {
                putAscii("Content-Length: ");
                putDecimal(contentLength);
                put(CRLF, 0, 2);
            } else if (contentLength == -2) {
                putAscii("Transfer-Encoding: chunked\r\n");
            }
            if (!keepAlive) {
                putAscii("Connection: close\r\n");
            } else if (!http11) {
                putAscii("Connection: keep-alive\r\n");
            }
        }
        put(CRLF, 0, 2);
    }

    private static final int FIELD_OTHER = 0;
    /** Content-Length, Transfer-Encoding, Connection: the server writes its own. */
    private static final int FIELD_FRAMING = 1;
    private static final int FIELD_DATE = 2;

    private static int fieldKind(String name) {
        return switch (name.length()) {
            case 4 -> name.equalsIgnoreCase("date") ? FIELD_DATE : FIELD_OTHER;
            case 10 -> name.equalsIgnoreCase("connection") ? FIELD_FRAMING : FIELD_OTHER;
            case 14 -> name.equalsIgnoreCase("content-length") ? FIELD_FRAMING : FIELD_OTHER;
            case 17 -> name.equalsIgnoreCase("transfer-encoding") ? FIELD_FRAMING : FIELD_OTHER;
            default -> FIELD_OTHER;
        };
    }

    /** @return whether the handler's headers ask to close the connection ("Connection: close") */
    private static boolean asksToClose(Headers headers) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().length() == 10 && e.getKey().equalsIgnoreCase("connection")) {
                for (String v : e.getValue()) {
                    if (v.equalsIgnoreCase("close")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Copies {@code s} as ISO-8859-1 to {@code o} at {@code p}.
     *
     * @return past the copy, or -1 if {@code s} holds CR, LF, a char over 0xFF, or (in a name) a
     *     colon, a space or a control character, or is an empty name
     */
    private static int copyField(String s, byte[] o, int p, boolean name) {
        int len = s.length();
        if (name && len == 0) {
            return -1;
        }
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c > 0xFF || (name && (c == ':' || c <= ' '))) {
                return -1;
            }
            o[p++] = (byte) c;
        }
        return p;
    }

    void writeBody(byte[] b, int off, int len) throws IOException {
        if (responseEnded && outMode != OUT_DISCARD) {
            throw new IOException(outMode == OUT_EMPTY ? "this response has no body (204, 304 or length -1)"
                    : "the response is complete");
        }
        switch (outMode) {
            case OUT_DISCARD -> {
                return;
            }
            case OUT_FIXED -> {
                if (len > outLeft) {
                    throw new IOException("writing " + len + " bytes, over the response length given to sendResponseHeaders by "
                            + (len - outLeft));
                }
                outLeft -= len;
                put(b, off, len);
            }
            case OUT_CHUNKED -> {
                reserve(Math.min(len, out.length - 24) + 20);
                putChunkSize(len);
                put(b, off, len);
                put(CRLF, 0, 2);
            }
            default -> put(b, off, len);
        }
    }

    private void putChunkSize(int len) {
        int digits = 1;
        while ((len >>> (4 * digits)) != 0 && digits < 8) {
            digits++;
        }
        for (int i = digits - 1; i >= 0; i--) {
            out[outLen++] = HEX[(len >>> (4 * i)) & 0xF];
        }
        out[outLen++] = '\r';
        out[outLen++] = '\n';
    }

    /** The response body was closed: finishes its framing. */
    void endResponse() throws IOException {
        if (responseEnded) {
            return;
        }
        responseEnded = true;
        if (outMode == OUT_FIXED && outLeft > 0) {
            long missing = outLeft;
            flushOut();
            abort();
            throw new IOException("the response body was closed " + missing + " bytes short of the length given to sendResponseHeaders");
        }
        if (outMode == OUT_CHUNKED) {
            put(LAST_CHUNK, 0, LAST_CHUNK.length);
        }
        flushIfNothingPending();
    }

    /** Sends the response now unless the input holds more (a pipelined request: the responses go out together). */
    private void flushIfNothingPending() throws IOException {
        if (inPos == inEnd) {
            flushOut();
        }
    }

    void flush() throws IOException {
        flushOut();
    }

    /** Answers with {@code status} and closes the connection after it. */
    private void respondError(int status, String message) throws IOException {
        keepAlive = false;
        linger = true;
        respond(status, message);
    }

    /** Answers with {@code status} and a plain-text body saying why. */
    private void respond(int status, String message) throws IOException {
        byte[] body = (status + " " + StatusLine.reason(status) + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        Headers headers = new Headers();
        headers.set("Content-Type", "text/plain; charset=utf-8");
        outMode = OUT_FIXED;
        writeHead(status, headers, isHeadRequest() ? -1 : body.length, true);
        if (!isHeadRequest()) {
            put(body, 0, body.length);
        }
        responseEnded = true;
        flushIfNothingPending();
    }

    private boolean isHeadRequest() {
        return exchange != null && isHead;
    }

    /**
     * Closes the sending side and reads what the client still sends for a while, dropping it, so
     * that the close does not reset the connection before the client read the response.
     */
    private void closeGracefully() {
        try {
            flushOut();
            awaitBackgroundWrite();
            socket.shutdownOutput();
            if (stopping()) {
                return;
            }
            setTimeout(LINGER);
            long dropped = 0;
            while (dropped < DRAIN_LIMIT) {
                inView.clear();
                int n = socket.read(inView);
                if (n < 0) {
                    return;
                }
                dropped += n;
            }
        } catch (IOException e) {
            // the socket closes next in any case
        }
    }

    private void reserve(int size) throws IOException {
        if (outLen + size > out.length) {
            flushOut();
            if (size > out.length) {
                out = new byte[size];
                outView = ByteBuffer.wrap(out);
            }
        }
    }

    private void growOut(int size) {
        out = Arrays.copyOf(out, Math.max(size, out.length * 2));
        outView = ByteBuffer.wrap(out);
    }

    private void putDecimal(long n) throws IOException {
        reserve(20);
        int digits = 1;
        for (long t = n; t >= 10; t /= 10) {
            digits++;
        }
        for (int i = outLen + digits - 1; i >= outLen; i--) {
            out[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        outLen += digits;
    }

    private void putAscii(String s) throws IOException {
        int len = s.length();
        reserve(len);
        for (int i = 0; i < len; i++) {
            out[outLen++] = (byte) s.charAt(i);
        }
    }

    private void put(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (outLen == out.length) {
                flushOut();
            }
            if (outLen == 0 && len >= DIRECT_WRITE) {
                write(ByteBuffer.wrap(b, off, len));
                return;
            }
            int n = Math.min(len, out.length - outLen);
            System.arraycopy(b, off, out, outLen, n);
            outLen += n;
            off += n;
            len -= n;
        }
    }

    private void flushOut() throws IOException {
        if (outLen > 0) {
            outView.limit(outLen).position(0);
            outLen = 0;
            write(outView);
        }
    }

    private void write(ByteBuffer src) throws IOException {
        if (backgroundWrite != null || backgroundFailure != null) {
            awaitBackgroundWrite();
        }
        try {
            socket.writeFully(src);
        } catch (IOException e) {
            clientGone = true;
            throw e;
        }
    }

    /** Closes the connection now: the server is stopping and it waits for a request. Hub thread. */
    void closeIdle() {
        try {
            socket.close();
        } catch (IOException e) {
            // it was going away
        }
    }

    @Override
    public String toString() {
        return "connection " + socket.remoteAddress();
    }
}
