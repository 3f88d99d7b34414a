package dev.gevent.backend.linux;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

/**
 * Turns an errno into the exception the JDK's socket channels throw for it, so that a caller
 * cannot tell a Linux loop from the {@code nio} one by its failures. The message is strerror(3)'s,
 * which only a binding can give: {@link SocketCalls#socketError} and {@link SocketCalls#streamError}
 * pass it.
 */
public final class Errno {
    private Errno() {
    }

    /**
     * The mapping of the JDK's socket calls (connect, bind, listen, options): refused or timed-out
     * connections are {@link ConnectException}, an unreachable host {@link NoRouteToHostException},
     * an address in use or not available {@link BindException}, anything else a
     * {@link SocketException}.
     */
    public static IOException socket(int errno, String message) {
        return switch (errno) {
            case Linux.ECONNREFUSED, Linux.ETIMEDOUT, Linux.ENOTCONN -> new ConnectException(message);
            case Linux.EHOSTUNREACH, Linux.ENETUNREACH -> new NoRouteToHostException(message);
            case Linux.EADDRINUSE, Linux.EADDRNOTAVAIL, Linux.EACCES -> new BindException(message);
            case Linux.ECONNRESET, Linux.EPIPE -> connectionReset();
            default -> new SocketException(message);
        };
    }

    /**
     * The mapping of reads and writes on a connection: a reset or a broken pipe is
     * {@code SocketException("Connection reset")}, as {@code java.net.Socket} reports it; anything
     * else a {@link SocketException} with the system's message.
     */
    public static IOException stream(int errno, String message) {
        return errno == Linux.ECONNRESET || errno == Linux.EPIPE ? connectionReset() : new SocketException(message);
    }

    private static SocketException connectionReset() {
        return new SocketException("Connection reset");
    }
}
