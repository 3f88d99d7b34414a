package dev.gevent.tck.ssl;

import dev.gevent.ssl.SslSocket;
import java.io.IOException;
import javax.net.ssl.SSLContext;

/**
 * A TLS client and server over a {@link PlainPair}, handshake not run: the server presents
 * {@link SelfSignedCertificate}; the client trusts it unless told otherwise.
 *
 * @param plain the underlying sockets
 * @param client the TLS client end
 * @param server the TLS server end
 */
record TlsPair(PlainPair plain, SslSocket client, SslSocket server) implements AutoCloseable {
    static TlsPair open() throws IOException {
        return open(SelfSignedCertificate.get().clientContext(), "localhost");
    }

    static TlsPair open(SSLContext clientContext, String peerHost) throws IOException {
        PlainPair plain = PlainPair.open();
        return new TlsPair(plain,
                SslSocket.client(plain.client(), clientContext, peerHost),
                SslSocket.server(plain.server(), SelfSignedCertificate.get().serverContext()));
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            try {
                server.close();
            } finally {
                plain.close();
            }
        }
    }
}
