package dev.gevent.ssl;

import dev.gevent.BlockingSwitchOutError;
import dev.gevent.Timeout;
import dev.gevent.event.Event;
import dev.gevent.internal.HubRef;
import dev.gevent.internal.StreamSocketInput;
import dev.gevent.internal.StreamSocketOutput;
import dev.gevent.lock.Semaphore;
import dev.gevent.socket.Socket;
import dev.gevent.socket.StreamSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A TLS connection over a cooperative {@link Socket} (gevent: {@code gevent.ssl.SSLSocket}, what
 * {@code SSLContext.wrap_socket} returns). It runs the JDK's {@link SSLEngine}: certificates,
 * trust, protocols and cipher suites come from the {@link SSLContext} it was made with. Every
 * operation blocks only the calling greenlet.
 *
 * <p><b>Handshake.</b> {@link #handshake()} runs it (gevent: {@code do_handshake}); otherwise the
 * first read or write does. Once it has completed, {@code handshake()} does nothing. A client checks
 * that the server's certificate is trusted and names the host it was given ({@code "HTTPS"}
 * endpoint identification, as gevent's {@code check_hostname}); a failure is an
 * {@link SSLHandshakeException}. A handshake cut short by the socket's timeout, a kill or a
 * {@link Timeout} can be resumed by calling {@code handshake()} (or reading, or writing) again.
 * Messages that TLS sends after the handshake (TLS 1.3 session tickets and key updates, TLS 1.2
 * renegotiation) are handled as they arrive during reads.
 *
 * <p><b>Timeouts.</b> {@link #setTimeout} sets the timeout of the underlying socket: it bounds
 * each wait for the network within an operation, the handshake's included (as gevent's
 * {@code SSLSocket} bounds each wait by its {@code timeout}); expiry raises
 * {@link SocketTimeoutException} and leaves the connection usable. {@link #writeFully} also starts
 * no new record once the timeout has passed since the call began.
 *
 * <p><b>End of stream.</b> {@link #read} returns -1 after the peer's {@code close_notify}, and also
 * when the connection ends without one (a "ragged EOF"), as gevent does with its default
 * {@code suppress_ragged_eofs=True} and as the JDK's {@code SSLSocket} does. A ragged EOF
 * invalidates the {@linkplain #session() session}, so that it is not resumed. An end of the
 * connection during the handshake is an {@link SSLHandshakeException}.
 *
 * <p><b>Closing.</b> {@link #shutdownOutput()} sends {@code close_notify}, then ends the TCP
 * output; under TLS 1.3 the peer can still answer (half-close), under TLS 1.2 the peer answers
 * with its own {@code close_notify}. {@link #close()} sends {@code close_notify} if the socket
 * takes it at once, then closes the underlying socket: it never waits for the peer.
 *
 * <p><b>Greenlets.</b> As for {@link Socket}: the socket belongs to the hub of the greenlet that
 * made it; one greenlet may read while another writes (full duplex); two greenlets reading, or two
 * writing, at once is an {@link IllegalStateException}; {@code close()} may be called from any
 * thread. The network and application buffers are made once per socket (sized from the session,
 * grown only if the peer's records need it) and reused by every read and write; decrypted data
 * goes straight into the reader's buffer when a whole record fits there.
 *
 * <p><b>Errors.</b> TLS failures are {@link SSLException}s (what the engine throws, or a
 * runtime failure of the engine wrapped in one, saying where it happened); once the engine has
 * failed, later operations throw an {@code SSLException} caused by the first failure. Socket
 * failures are the underlying socket's exceptions.
 */
public final class SslSocket implements StreamSocket {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();
    /** The TLS record header: type (1), version (2), length (2). */
    private static final int RECORD_HEADER = 5;

    private final HubRef hub;
    private final Socket plain;
    private final SSLEngine engine;
    private final boolean client;
    /** Held while reading {@link #plain} and unwrapping: owns {@link #netIn} and {@link #appIn}. */
    private final Semaphore inbound = new Semaphore(1);
    /** Held while wrapping and writing {@link #plain}: owns {@link #netOut}. */
    private final Semaphore outbound = new Semaphore(1);
    /** Set when a reader unwrapped something that a writer waiting on the peer's handshake needs. */
    private final Event inboundProgress = new Event();

    /** Received, not yet unwrapped; write mode: the bytes are [0, position). */
    private ByteBuffer netIn;
    /** Unwrapped, not yet read; read mode: the bytes are [position, limit). */
    private ByteBuffer appIn;
    /** Wrapped, not yet sent; read mode: the bytes are [position, limit). */
    private ByteBuffer netOut;

    private boolean begun;
    private boolean handshaken;
    private boolean inputEnded;
    private boolean reading;
    private boolean writing;
    private boolean writerAwaitsInbound;
    private SSLException broken;
    private volatile boolean closed;
    private InputStream inputStream;
    private OutputStream outputStream;

    private SslSocket(Socket plain, SSLEngine engine, boolean client) {
        this.hub = HubRef.current();
        this.plain = plain;
        this.engine = engine;
        this.client = client;
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        // Room for two records: a flight of handshake records goes out in one write. Split, its
        // second write would wait for the first one's delayed ACK (Nagle), 40 ms on Linux.
        this.netOut = ByteBuffer.allocate(2 * session.getPacketBufferSize()).flip();
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize()).flip();
    }

    /**
     * Makes the client end of a TLS connection over {@code plain} (gevent:
     * {@code SSLContext.wrap_socket(sock, server_hostname=peerHost)}). The handshake is not run
     * yet. The client sends {@code peerHost} as its SNI server name (unless it is an IP address
     * literal) and requires the server's certificate to name it ({@code "HTTPS"} endpoint
     * identification).
     *
     * @param plain a connected socket, of the hub of the calling greenlet; from now on used only
     *     through the returned object
     * @param ctx the TLS configuration: trust, protocols, cipher suites, client certificate
     * @param peerHost the server's host name or IP address literal, as its certificate names it
     * @return the TLS socket
     * @throws IOException if the engine cannot be created
     */
    public static SslSocket client(Socket plain, SSLContext ctx, String peerHost) throws IOException {
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(peerHost, "peerHost");
        int port = plain.remoteAddress() instanceof InetSocketAddress remote ? remote.getPort() : -1;
        SSLEngine engine = createEngine(ctx, peerHost, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        SNIHostName serverName = serverName(peerHost);
        if (serverName != null) {
            parameters.setServerNames(List.of(serverName));
        }
        engine.setSSLParameters(parameters);
        return new SslSocket(plain, engine, true);
    }

    /**
     * Makes the server end of a TLS connection over {@code plain} (gevent:
     * {@code SSLContext.wrap_socket(sock, server_side=True)}). The handshake is not run yet.
     * Whether the client must present a certificate is the context's default.
     *
     * @param plain an accepted socket, of the hub of the calling greenlet; from now on used only
     *     through the returned object
     * @param ctx the TLS configuration: the server's certificate and key, protocols, cipher suites
     * @return the TLS socket
     * @throws IOException if the engine cannot be created
     */
    public static SslSocket server(Socket plain, SSLContext ctx) throws IOException {
        return server(plain, ctx, null);
    }

    /**
     * As {@link #server(Socket, SSLContext)}, with this connection's TLS parameters (protocols,
     * cipher suites, whether the client must present a certificate) in place of the context's
     * defaults.
     *
     * @param plain an accepted socket, of the hub of the calling greenlet
     * @param ctx the TLS configuration: the server's certificate and key
     * @param parameters what to use instead of the context's default parameters; null for those
     * @return the TLS socket
     * @throws IOException if the engine cannot be created
     * @throws IllegalArgumentException if the engine refuses the parameters
     */
    public static SslSocket server(Socket plain, SSLContext ctx, SSLParameters parameters) throws IOException {
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(ctx, "ctx");
        SSLEngine engine = createEngine(ctx, null, -1);
        engine.setUseClientMode(false);
        if (parameters != null) {
            engine.setSSLParameters(parameters);
        }
        return new SslSocket(plain, engine, false);
    }

    private static SSLEngine createEngine(SSLContext ctx, String peerHost, int port) throws SSLException {
        try {
            return peerHost == null ? ctx.createSSLEngine() : ctx.createSSLEngine(peerHost, port);
        } catch (RuntimeException e) {
            throw new SSLException("cannot create a TLS engine from " + ctx.getProtocol() + " context "
                    + ctx.getProvider() + ": " + e, e);
        }
    }

    /** @return the SNI name for {@code host}, or null for an address literal or a name SNI cannot carry */
    private static SNIHostName serverName(String host) {
        if (host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            return null;
        }
        try {
            return new SNIHostName(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Runs the TLS handshake now, if it has not completed yet (gevent: {@code do_handshake}).
     * Called again once it has completed, it returns at once. A greenlet that calls it while
     * another runs the handshake waits for that one.
     *
     * @throws SSLHandshakeException if the handshake failed: an untrusted or mismatched
     *     certificate, no common protocol or cipher suite, the peer's alert, or the connection's
     *     end during the handshake
     * @throws SocketTimeoutException if a wait for the peer took longer than the socket's timeout
     *     (the handshake can be resumed)
     * @throws IOException if the socket failed or was closed
     */
    public void handshake() throws IOException {
        checkUsable("handshake");
        if (handshaken) {
            return;
        }
        inbound.acquire();
        try {
            outbound.acquire();
            try {
                if (!handshaken) {
                    runHandshake();
                }
            } finally {
                outbound.release();
            }
        } finally {
            inbound.release();
        }
    }

    /**
     * The TLS session (gevent: {@code SSLSocket.session}, {@code version()}, {@code cipher()}):
     * protocol, cipher suite, peer certificates. Before the handshake has completed, JSSE's
     * placeholder session, whose cipher suite is {@code SSL_NULL_WITH_NULL_NULL}.
     *
     * @return the current session
     */
    public SSLSession session() {
        return engine.getSession();
    }

    /**
     * Reads decrypted data (gevent: {@code SSLSocket.recv_into}), running the handshake first if
     * it has not completed. Returns what is buffered if there is any, else waits for the next
     * record that carries data.
     *
     * @param dst where to read
     * @return bytes read, 0 if {@code dst} has no room, -1 after the peer's {@code close_notify}
     *     or at the end of the connection
     * @throws SocketTimeoutException if a wait took longer than the socket's timeout
     * @throws SSLException if TLS failed (a bad record, the peer's fatal alert)
     * @throws IOException if the socket failed or was closed
     * @throws IllegalStateException if another greenlet is reading this socket
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkUsable("read");
        if (!dst.hasRemaining()) {
            return 0;
        }
        startReading();
        try {
            if (appIn.hasRemaining()) {
                return drain(dst);
            }
            handshake();
            inbound.acquire();
            try {
                return readHoldingInbound(dst);
            } finally {
                inbound.release();
                signalInboundProgress();
            }
        } finally {
            reading = false;
        }
    }

    /**
     * Encrypts and sends one record's worth of {@code src} (up to 16 KiB; gevent:
     * {@code SSLSocket.send}), running the handshake first if it has not completed.
     *
     * @param src what to write
     * @return bytes taken from {@code src}, 0 if it has nothing remaining. They are sent, or, if
     *     sending timed out, sent before anything written later.
     * @throws SocketTimeoutException if a wait took longer than the socket's timeout
     * @throws SSLException if TLS failed, or this side's output was closed
     * @throws IOException if the socket failed or was closed
     * @throws IllegalStateException if another greenlet is writing this socket
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        checkUsable("write");
        if (!src.hasRemaining()) {
            return 0;
        }
        startWriting();
        try {
            handshake();
            return send(src, false, -1, 0);
        } finally {
            writing = false;
        }
    }

    /**
     * Encrypts and sends all of {@code src} (gevent: {@code SSLSocket.sendall}), running the
     * handshake first if it has not completed. The socket's timeout bounds each wait, and no record
     * is started once it has passed since the call began.
     *
     * @param src what to write
     * @throws SocketTimeoutException if the timeout passed before all was written; {@code src}'s
     *     position then says how much was taken (and will be sent before anything written later)
     * @throws SSLException if TLS failed, or this side's output was closed
     * @throws IOException if the socket failed or was closed
     * @throws IllegalStateException if another greenlet is writing this socket
     */
    @Override
    public void writeFully(ByteBuffer src) throws IOException {
        checkUsable("writeFully");
        if (!src.hasRemaining()) {
            return;
        }
        startWriting();
        try {
            Duration timeout = plain.timeout();
            long timeoutNanos = timeout == null ? -1 : saturatedNanos(timeout);
            long deadline = System.nanoTime() + Math.max(timeoutNanos, 0);
            handshake();
            send(src, true, timeoutNanos, deadline);
        } finally {
            writing = false;
        }
    }

    /**
     * A stream of the decrypted input (gevent: {@code SSLSocket.makefile('rb')}); closing it
     * closes this socket. The same object on every call.
     *
     * @return the input stream
     */
    @Override
    public InputStream inputStream() {
        if (inputStream == null) {
            inputStream = new StreamSocketInput(this);
        }
        return inputStream;
    }

    /**
     * A stream to the encrypted output (gevent: {@code SSLSocket.makefile('wb')}): each write
     * writes fully; flush does nothing; closing it closes this socket. The same object on every
     * call.
     *
     * @return the output stream
     */
    @Override
    public OutputStream outputStream() {
        if (outputStream == null) {
            outputStream = new StreamSocketOutput(this);
        }
        return outputStream;
    }

    /**
     * Sets the timeout of the underlying socket (gevent: {@code SSLSocket.settimeout}): it bounds
     * each wait for the network, in the handshake too; expiry raises
     * {@link SocketTimeoutException} and leaves the connection usable.
     *
     * @param timeout the bound, or null for none
     * @throws IllegalArgumentException if negative
     */
    @Override
    public void setTimeout(Duration timeout) {
        plain.setTimeout(timeout);
    }

    /**
     * Sends {@code close_notify}, then ends the TCP output (gevent: {@code SSLSocket.unwrap}'s
     * half of the closing handshake). Under TLS 1.3 the peer reads the end of the stream and can
     * still answer; under TLS 1.2 it answers with its own {@code close_notify}. Later writes fail.
     * Waits, within the socket's timeout, for data being written by another greenlet to go first.
     *
     * @throws SocketTimeoutException if sending took longer than the socket's timeout
     * @throws IOException if the socket failed or was closed
     */
    @Override
    public void shutdownOutput() throws IOException {
        checkUsable("shutdownOutput");
        outbound.acquire();
        try {
            engine.closeOutbound();
            wrapHandshakeOutput();
            plain.shutdownOutput();
        } finally {
            outbound.release();
        }
    }

    @Override
    public SocketAddress localAddress() {
        return plain.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return plain.remoteAddress();
    }

    /**
     * Closes the connection (gevent: {@code SSLSocket.close}): sends {@code close_notify} if the
     * socket takes it at once and no other greenlet is writing, then closes the underlying socket,
     * which wakes every greenlet blocked on this one with an IOException. Never waits for the peer.
     * Idempotent; from another thread than the owning hub's, only the underlying socket is closed
     * (soon after this returns).
     *
     * @throws IOException if closing the underlying socket failed (it is closed all the same)
     */
    @Override
    public void close() throws IOException {
        if (!hub.isHubThread()) {
            closed = true;
            plain.close();
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        try {
            sendCloseNotifyIfAtOnce();
        } finally {
            plain.close();
        }
    }

    /** @return true until {@link #close()} was called or the underlying socket was closed */
    @Override
    public boolean isOpen() {
        return !closed && plain.isOpen();
    }

    @Override
    public String toString() {
        return "SslSocket[" + (client ? "client" : "server") + ", " + plain + "]";
    }

    // ---- the handshake: both directions held ----

    private void runHandshake() throws IOException {
        try {
            if (!begun) {
                engine.beginHandshake();
                begun = true;
            }
            HandshakeStatus status = engine.getHandshakeStatus();
            for (;;) {
                switch (status) {
                    case NEED_TASK -> {
                        runDelegatedTasks();
                        status = engine.getHandshakeStatus();
                    }
                    case NEED_WRAP -> {
                        SSLEngineResult result = wrap(EMPTY);
                        if (result.getStatus() == Status.CLOSED && result.bytesProduced() == 0) {
                            flush();
                            throw new SSLHandshakeException("the TLS engine of " + this + " closed during the handshake");
                        }
                        status = result.getHandshakeStatus();
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        SSLEngineResult result = unwrapRecord(null, true);
                        if (result == null) {
                            throw new SSLHandshakeException("the peer of " + this
                                    + " closed the connection during the TLS handshake");
                        }
                        if (result.getStatus() == Status.CLOSED) {
                            throw new SSLHandshakeException("the peer of " + this
                                    + " sent close_notify during the TLS handshake");
                        }
                        status = result.getHandshakeStatus();
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        // A TLS 1.3 server's session tickets may still wait to be wrapped.
                        HandshakeStatus next = engine.getHandshakeStatus();
                        if (next == HandshakeStatus.NEED_WRAP || next == HandshakeStatus.NEED_TASK) {
                            status = next;
                            continue;
                        }
                        flush();
                        handshaken = true;
                        return;
                    }
                }
            }
        } catch (SSLException e) {
            sendAlertIfAtOnce();
            throw e;
        }
    }

    /**
     * Delegated tasks (the handshake messages' processing: key exchange, signatures, certificate
     * checks) run inline on the calling greenlet, as gevent runs OpenSSL's handshake: about three
     * per handshake, a millisecond or two of CPU in all once warm. A thread pool would add two
     * thread hops per task and only pays off with spare cores, which hubs on more threads use
     * better.
     */
    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    // ---- reading: inbound held ----

    private int readHoldingInbound(ByteBuffer dst) throws IOException {
        for (;;) {
            if (appIn.hasRemaining()) {
                return drain(dst);
            }
            if (inputEnded) {
                return -1;
            }
            int before = dst.position();
            SSLEngineResult result = unwrapRecord(dst, false);
            if (result == null) {
                raggedEof();
                continue;
            }
            afterUnwrap(result);
            if (dst.position() > before) {
                return dst.position() - before;
            }
        }
    }

    /**
     * Unwraps the next record, reading from the socket until one is complete. Application data
     * goes straight into {@code dst} when it surely fits, else into {@link #appIn}.
     *
     * @param dst the caller's buffer, or null to unwrap into {@link #appIn}
     * @param flushFirst whether to send {@link #netOut} before waiting for the peer (the caller
     *     holds the output too): records wrapped meanwhile go out with it, in one write
     * @return the result for the record, or null at the end of the connection
     */
    private SSLEngineResult unwrapRecord(ByteBuffer dst, boolean flushFirst) throws IOException {
        for (;;) {
            if (netIn.position() > 0) {
                boolean intoDst = dst != null && !appIn.hasRemaining() && netIn.position() >= RECORD_HEADER
                        && dst.remaining() >= recordLength();
                SSLEngineResult result = intoDst ? unwrap(dst) : unwrapIntoAppIn();
                Status status = result.getStatus();
                if (status == Status.BUFFER_OVERFLOW) {
                    if (intoDst) {
                        dst = null;
                    } else {
                        appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                    }
                    continue;
                }
                if (status != Status.BUFFER_UNDERFLOW
                        && (result.bytesConsumed() > 0 || result.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP)) {
                    return result;
                }
            }
            if (!netIn.hasRemaining()) {
                // A record larger than the buffer: the session allows large packets.
                netIn = grow(netIn.flip(), engine.getSession().getPacketBufferSize()).compact();
            }
            if (flushFirst) {
                flush();
            }
            if (plain.read(netIn) < 0) {
                return null;
            }
        }
    }

    private SSLEngineResult unwrapIntoAppIn() throws SSLException {
        appIn.compact();
        try {
            return unwrap(appIn);
        } finally {
            appIn.flip();
        }
    }

    /** @return the length of the record at the head of {@link #netIn}, from its header */
    private int recordLength() {
        return ((netIn.get(3) & 0xFF) << 8 | (netIn.get(4) & 0xFF));
    }

    /**
     * Does what the engine asks for after an unwrap: delegated tasks, and handshake messages to
     * send (a TLS 1.3 key update's answer, a TLS 1.2 renegotiation's flights).
     */
    private void afterUnwrap(SSLEngineResult result) throws IOException {
        if (result.getStatus() == Status.CLOSED) {
            inputEnded = true;
            answerCloseNotifyIfAtOnce();
            signalInboundProgress();
            return;
        }
        HandshakeStatus status = result.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_TASK) {
            runDelegatedTasks();
            status = engine.getHandshakeStatus();
        }
        if (status == HandshakeStatus.NEED_WRAP) {
            // Lock order is always inbound, then outbound: a writer never waits for inbound holding outbound.
            outbound.acquire();
            try {
                wrapHandshakeOutput();
            } finally {
                outbound.release();
            }
        }
        signalInboundProgress();
    }

    /**
     * The connection ended without close_notify. As gevent's suppress_ragged_eofs, that reads as
     * the end of the stream; the engine's inbound side is left open (closing it without
     * close_notify would fail the whole engine), so that this side may still answer.
     */
    private void raggedEof() {
        inputEnded = true;
        engine.getSession().invalidate();
    }

    private int drain(ByteBuffer dst) {
        int n = Math.min(appIn.remaining(), dst.remaining());
        dst.put(dst.position(), appIn, appIn.position(), n);
        dst.position(dst.position() + n);
        appIn.position(appIn.position() + n);
        return n;
    }

    // ---- writing: outbound held ----

    /**
     * Wraps and sends {@code src}: one record, or all of it if {@code all}. When the engine takes
     * no data until the peer's handshake messages are in (the contract allows it during a
     * renegotiation; the JDK's engine goes on with the old keys instead), lets go of the output
     * and gets them read.
     */
    private int send(ByteBuffer src, boolean all, long timeoutNanos, long deadline) throws IOException {
        int taken = 0;
        for (;;) {
            boolean needsInbound = false;
            outbound.acquire();
            try {
                flush();
                while (src.hasRemaining()) {
                    if (timeoutNanos >= 0 && deadline - System.nanoTime() <= 0) {
                        throw new SocketTimeoutException("writeFully timed out with " + src.remaining() + " bytes unwritten");
                    }
                    SSLEngineResult result = wrap(src);
                    taken += result.bytesConsumed();
                    if (result.getStatus() == Status.CLOSED) {
                        flush();
                        throw new SSLException("the TLS output of " + this + " is closed (shutdownOutput, close,"
                                + " or the peer's close_notify under TLS 1.2)");
                    }
                    HandshakeStatus status = result.getHandshakeStatus();
                    if (status == HandshakeStatus.NEED_TASK) {
                        runDelegatedTasks();
                    } else if (result.bytesConsumed() == 0 && needsUnwrap(status)) {
                        needsInbound = true;
                        break;
                    }
                    if (!all && taken > 0) {
                        break;
                    }
                }
                // Records wrapped above that still fit in the buffer go out here, in one write.
                flush();
                if (!needsInbound) {
                    wrapHandshakeOutput();
                    return taken;
                }
            } finally {
                outbound.release();
            }
            awaitInbound();
        }
    }

    /**
     * Holding neither direction: gets the peer's handshake messages unwrapped, by reading them
     * here if no greenlet is reading, else by waiting for the reader to unwrap the next record.
     */
    private void awaitInbound() throws IOException {
        if (inbound.tryAcquire()) {
            try {
                while (needsUnwrap(engine.getHandshakeStatus())) {
                    SSLEngineResult result = inputEnded ? null : unwrapRecord(null, false);
                    if (result == null) {
                        inputEnded = true;
                        throw new SSLException("the peer of " + this + " closed the connection during a renegotiation");
                    }
                    afterUnwrap(result);
                }
            } finally {
                inbound.release();
            }
            return;
        }
        inboundProgress.clear();
        if (needsUnwrap(engine.getHandshakeStatus()) && inbound.locked()) {
            writerAwaitsInbound = true;
            try {
                inboundProgress.await();
            } finally {
                writerAwaitsInbound = false;
            }
        }
    }

    private void signalInboundProgress() {
        if (writerAwaitsInbound) {
            inboundProgress.set();
        }
    }

    private static boolean needsUnwrap(HandshakeStatus status) {
        return status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN;
    }

    /** Wraps and sends what the engine has to say on its own: handshake messages, alerts, close_notify. */
    private void wrapHandshakeOutput() throws IOException {
        for (;;) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
                continue;
            }
            if (status != HandshakeStatus.NEED_WRAP) {
                break;
            }
            if (wrap(EMPTY).bytesProduced() == 0) {
                break;
            }
        }
        flush();
    }

    private void flush() throws IOException {
        while (netOut.hasRemaining()) {
            plain.write(netOut);
        }
    }

    // ---- best effort, never waiting ----

    private void sendCloseNotifyIfAtOnce() {
        if (!begun || !outbound.tryAcquire()) {
            return;
        }
        try {
            engine.closeOutbound();
            withoutWaiting(this::wrapHandshakeOutput);
        } finally {
            outbound.release();
        }
    }

    /** A TLS 1.2 engine answers the peer's close_notify with its own; whoever holds the output sends it later. */
    private void answerCloseNotifyIfAtOnce() {
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && outbound.tryAcquire()) {
            try {
                withoutWaiting(this::wrapHandshakeOutput);
            } finally {
                outbound.release();
            }
        }
    }

    /** After a failed handshake the engine holds an alert for the peer: send it if the socket takes it now. */
    private void sendAlertIfAtOnce() {
        withoutWaiting(this::wrapHandshakeOutput);
    }

    /**
     * Runs {@code action}, giving up at its first wait for the network (a zero {@link Timeout}
     * fires as soon as the greenlet would block) and on any I/O failure: the peer may be gone.
     */
    private void withoutWaiting(IoAction action) {
        Timeout bound = Timeout.startNew(Duration.ZERO);
        try {
            action.run();
        } catch (Timeout t) {
            if (t != bound) {
                throw t;
            }
        } catch (IOException | BlockingSwitchOutError e) {
            // Best effort: the connection is being given up anyway, or closed from a hub callback,
            // where nothing may wait.
        } finally {
            bound.cancel();
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    // ---- the engine ----

    /** Wraps into {@link #netOut}, making room first (by sending, or growing it) when it is too full. */
    private SSLEngineResult wrap(ByteBuffer src) throws IOException {
        for (;;) {
            netOut.compact();
            SSLEngineResult result;
            try {
                result = engine.wrap(src, netOut);
            } catch (SSLException e) {
                throw failed(e);
            } catch (RuntimeException e) {
                throw failed(new SSLException("TLS wrap failed on " + this + ": " + e, e));
            } finally {
                netOut.flip();
            }
            if (result.getStatus() != Status.BUFFER_OVERFLOW) {
                return result;
            }
            if (netOut.hasRemaining()) {
                // Wrapped records fill it: send them, then wrap again.
                flush();
            } else {
                netOut = grow(netOut, engine.getSession().getPacketBufferSize());
            }
        }
    }

    private SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, dst);
        } catch (SSLException e) {
            throw failed(e);
        } catch (RuntimeException e) {
            throw failed(new SSLException("TLS unwrap failed on " + this + ": " + e, e));
        } finally {
            netIn.compact();
        }
    }

    private SSLException failed(SSLException e) {
        if (broken == null) {
            broken = e;
        }
        return e;
    }

    /**
     * @param buffer a buffer in read mode
     * @param atLeast the room it needs
     * @return a larger buffer in read mode with the same bytes: room for {@code atLeast} more, at
     *     least twice the old capacity
     */
    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        int capacity = Math.max(buffer.remaining() + atLeast, buffer.capacity() * 2);
        return ByteBuffer.allocate(capacity).put(buffer).flip();
    }

    // ---- checks ----

    private void checkUsable(String operation) throws IOException {
        if (!hub.isHubThread()) {
            throw new IllegalStateException(operation + " on " + this + " from " + Thread.currentThread()
                    + ": a socket is used by the greenlets of the hub that opened it (" + hub.name()
                    + "); only close() may be called from another thread");
        }
        if (closed) {
            throw new ClosedChannelException();
        }
        SSLException failure = broken;
        if (failure != null) {
            String message = operation + " on " + this + ": TLS failed earlier: " + failure.getMessage();
            throw failure instanceof SSLHandshakeException
                    ? new SSLHandshakeException(message, failure)
                    : new SSLException(message, failure);
        }
    }

    private void startReading() {
        if (reading) {
            throw new IllegalStateException("read on " + this + " while another greenlet is reading it;"
                    + " one greenlet may read while another writes, not two at once");
        }
        reading = true;
    }

    private void startWriting() {
        if (writing) {
            throw new IllegalStateException("write on " + this + " while another greenlet is writing it;"
                    + " one greenlet may read while another writes, not two at once");
        }
        writing = true;
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
