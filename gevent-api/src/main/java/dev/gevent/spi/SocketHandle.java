package dev.gevent.spi;

/**
 * A socket of one {@link Transport}, opaque to everyone but its backend. It belongs to the hub
 * whose loop created it.
 */
public interface SocketHandle {
    /** @return true until the transport closed it */
    boolean isOpen();
}
