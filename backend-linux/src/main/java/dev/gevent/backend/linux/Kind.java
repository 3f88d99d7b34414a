package dev.gevent.backend.linux;

/** What a socket of the transport is, which decides the operations and options it has. */
public enum Kind {
    LISTENER("listening socket"),
    STREAM("stream socket"),
    DATAGRAM("datagram socket");

    /** The kind's name, for messages. */
    public final String label;

    Kind(String label) {
        this.label = label;
    }
}
