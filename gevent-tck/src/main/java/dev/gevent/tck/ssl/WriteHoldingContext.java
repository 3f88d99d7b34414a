package dev.gevent.tck.ssl;

import dev.gevent.event.AsyncResult;
import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose engines take no application data while a renegotiation waits for the
 * peer: {@code wrap} then consumes nothing and answers {@code NEED_UNWRAP}, as the
 * {@link SSLEngine} contract allows and as some providers do (the JDK's own engine goes on
 * sending data with the old keys). A writer must then get the peer's handshake messages read
 * before it can go on, also while another greenlet is blocked reading.
 */
final class WriteHoldingContext {
    /** Engines of this context; their handshake is the base context's. */
    final SSLContext context;
    /** How many writes the engines held back. */
    final AtomicInteger heldWrites = new AtomicInteger();
    /** Set when an engine sees the peer start a renegotiation. */
    final AsyncResult<Void> renegotiationStarted = new AsyncResult<>();

    WriteHoldingContext(SSLContext base) {
        this.context = new SSLContext(new Spi(base), base.getProvider(), base.getProtocol()) {
        };
    }

    private final class Spi extends SSLContextSpi {
        private final SSLContext base;

        Spi(SSLContext base) {
            this.base = base;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            base.init(km, tm, sr);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return base.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return base.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return new Engine(base.createSSLEngine(), null, -1);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return new Engine(base.createSSLEngine(host, port), host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return base.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return base.getClientSessionContext();
        }
    }

    private final class Engine extends SSLEngine {
        private final SSLEngine engine;
        private boolean established;

        Engine(SSLEngine engine, String host, int port) {
            super(host, port);
            this.engine = engine;
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            if (established && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP && hasRemaining(srcs, offset, length)) {
                heldWrites.incrementAndGet();
                return new SSLEngineResult(Status.OK, HandshakeStatus.NEED_UNWRAP, 0, 0);
            }
            return observe(engine.wrap(srcs, offset, length, dst));
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
            SSLEngineResult result = observe(engine.unwrap(src, dsts, offset, length));
            HandshakeStatus status = result.getHandshakeStatus();
            if (established && status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED
                    && !renegotiationStarted.ready()) {
                renegotiationStarted.set(null);
            }
            return result;
        }

        private SSLEngineResult observe(SSLEngineResult result) {
            if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                established = true;
            }
            return result;
        }

        private static boolean hasRemaining(ByteBuffer[] buffers, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (buffers[i].hasRemaining()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Runnable getDelegatedTask() {
            return engine.getDelegatedTask();
        }

        @Override
        public void closeInbound() throws SSLException {
            engine.closeInbound();
        }

        @Override
        public boolean isInboundDone() {
            return engine.isInboundDone();
        }

        @Override
        public void closeOutbound() {
            engine.closeOutbound();
        }

        @Override
        public boolean isOutboundDone() {
            return engine.isOutboundDone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return engine.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return engine.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            engine.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return engine.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return engine.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            engine.setEnabledProtocols(protocols);
        }

        @Override
        public SSLSession getSession() {
            return engine.getSession();
        }

        @Override
        public SSLSession getHandshakeSession() {
            return engine.getHandshakeSession();
        }

        @Override
        public void beginHandshake() throws SSLException {
            engine.beginHandshake();
        }

        @Override
        public HandshakeStatus getHandshakeStatus() {
            return engine.getHandshakeStatus();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            engine.setUseClientMode(mode);
        }

        @Override
        public boolean getUseClientMode() {
            return engine.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            engine.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return engine.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            engine.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return engine.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            engine.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return engine.getEnableSessionCreation();
        }

        @Override
        public SSLParameters getSSLParameters() {
            return engine.getSSLParameters();
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            engine.setSSLParameters(params);
        }

        @Override
        public String getApplicationProtocol() {
            return engine.getApplicationProtocol();
        }
    }
}
