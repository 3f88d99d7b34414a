package dev.gevent.http.internal;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * One HTTPS connection's {@link HttpsParameters}, which the server's configurator fills in its
 * {@code configure} (by default: the context's default parameters), as the JDK's server does.
 */
final class TlsParameters extends HttpsParameters {
    private final HttpsConfigurator configurator;
    private final InetSocketAddress client;
    private SSLParameters parameters;

    private TlsParameters(HttpsConfigurator configurator, InetSocketAddress client) {
        this.configurator = configurator;
        this.client = client;
    }

    /**
     * @return what {@code configurator} chose for a connection from {@code client}: the
     *     parameters it set, or else those its older setters (protocols, cipher suites, client
     *     authentication) describe on top of the context's defaults
     */
    @SuppressWarnings("deprecation")
    static SSLParameters of(HttpsConfigurator configurator, InetSocketAddress client) {
        TlsParameters p = new TlsParameters(configurator, client);
        configurator.configure(p);
        if (p.parameters != null) {
            return p.parameters;
        }
        SSLContext context = configurator.getSSLContext();
        SSLParameters defaults = context.getDefaultSSLParameters();
        if (p.getCipherSuites() != null) {
            defaults.setCipherSuites(p.getCipherSuites());
        }
        if (p.getProtocols() != null) {
            defaults.setProtocols(p.getProtocols());
        }
        if (p.getNeedClientAuth()) {
            defaults.setNeedClientAuth(true);
        } else if (p.getWantClientAuth()) {
            defaults.setWantClientAuth(true);
        }
        return defaults;
    }

    @Override
    public HttpsConfigurator getHttpsConfigurator() {
        return configurator;
    }

    @Override
    public InetSocketAddress getClientAddress() {
        return client;
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        this.parameters = params;
    }
}
