package dev.gevent.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A connected, cooperative stream socket: what a {@link dev.gevent.server.StreamServer} hands its
 * handler, a plain {@link Socket} or a {@link dev.gevent.ssl.SslSocket} when the server speaks TLS.
 * The operations block only the calling greenlet. Thread-safety and ownership as
 * {@linkplain dev.gevent.socket described for the package}.
 */
public interface StreamSocket extends ByteChannel {
    /**
     * Reads what is available, waiting until at least one byte is (gevent: {@code recv_into}).
     *
     * @param dst where to read
     * @return bytes read, 0 if {@code dst} has no room, -1 at the end of the stream
     * @throws java.net.SocketTimeoutException if the socket's timeout passed first
     * @throws IOException if the read failed or the socket was closed meanwhile
     */
    @Override
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes what the socket takes now, waiting until it takes at least one byte.
     *
     * @param src what to write
     * @return bytes written, 0 if {@code src} has nothing remaining
     * @throws java.net.SocketTimeoutException if the socket's timeout passed first
     * @throws IOException if the write failed (a peer that closed: never a crash)
     */
    @Override
    int write(ByteBuffer src) throws IOException;

    /**
     * Writes everything remaining in {@code src} (gevent: {@code sendall}). The socket's timeout
     * bounds the whole call, not each write.
     *
     * @param src what to write
     * @throws java.net.SocketTimeoutException if the timeout passed before all was written
     * @throws IOException if a write failed; how much was written is then {@code src}'s position
     */
    void writeFully(ByteBuffer src) throws IOException;

    /**
     * Reads up to {@code maxBytes} (gevent: {@code recv}).
     *
     * @param maxBytes the most to return, at least 0
     * @return the bytes read; an empty array at the end of the stream
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     * @throws IOException as {@link #read}
     */
    default byte[] recv(int maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        byte[] data = new byte[maxBytes];
        int n = read(ByteBuffer.wrap(data));
        return n <= 0 ? new byte[0] : n == maxBytes ? data : Arrays.copyOf(data, n);
    }

    /**
     * Writes all of {@code data} (gevent: {@code sendall}).
     *
     * @param data what to write
     * @throws IOException as {@link #writeFully}
     */
    default void sendAll(byte[] data) throws IOException {
        writeFully(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /**
     * A stream over this socket (gevent: {@code makefile('rb')}), for {@code BufferedReader} and
     * friends. Closing it closes the socket. The same object on every call.
     *
     * @return the socket's input stream
     */
    InputStream inputStream();

    /**
     * A stream over this socket (gevent: {@code makefile('wb')}): each write writes fully; flush
     * does nothing. Closing it closes the socket. The same object on every call.
     *
     * @return the socket's output stream
     */
    OutputStream outputStream();

    /**
     * Bounds each later operation (gevent: {@code settimeout}); expiry raises
     * {@link java.net.SocketTimeoutException} and leaves the socket usable.
     *
     * @param timeout the bound, or null for none
     * @throws IllegalArgumentException if negative
     */
    void setTimeout(Duration timeout);

    /**
     * Ends this side's output: the peer reads the end of the stream (half-close).
     *
     * @throws IOException if it fails
     */
    void shutdownOutput() throws IOException;

    /** @return the local address, or null if unknown */
    SocketAddress localAddress();

    /** @return the peer's address, or null if unknown */
    SocketAddress remoteAddress();

    /**
     * Closes the socket; every greenlet blocked on it wakes with an IOException. Idempotent.
     *
     * @throws IOException if closing failed (the socket is closed all the same)
     */
    @Override
    void close() throws IOException;
}
