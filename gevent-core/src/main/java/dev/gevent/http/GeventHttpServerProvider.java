package dev.gevent.http;

import com.sun.net.httpserver.spi.HttpServerProvider;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Makes {@code com.sun.net.httpserver.HttpServer.create(...)} and {@code HttpsServer.create(...)}
 * return this project's {@link HttpServer} and {@link HttpsServer}. Registered as a service
 * ({@code META-INF/services/com.sun.net.httpserver.spi.HttpServerProvider}), so that, as the JDK
 * documents for {@link HttpServerProvider#provider()}, it is the provider whenever gevent-core is
 * on the class path; the system property {@code com.sun.net.httpserver.HttpServerProvider} names it
 * explicitly ({@code dev.gevent.http.GeventHttpServerProvider}) or brings the JDK's own back
 * ({@code sun.net.httpserver.DefaultHttpServerProvider}).
 */
public final class GeventHttpServerProvider extends HttpServerProvider {
    /** Used by {@link java.util.ServiceLoader} and the JDK's system property. */
    public GeventHttpServerProvider() {
    }

    @Override
    public HttpServer createHttpServer(InetSocketAddress addr, int backlog) throws IOException {
        return HttpServer.create(addr, backlog);
    }

    @Override
    public HttpsServer createHttpsServer(InetSocketAddress addr, int backlog) throws IOException {
        return HttpsServer.create(addr, backlog);
    }
}
