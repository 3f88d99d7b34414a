package dev.gevent.backend.iouring;

/** What a socket of the transport is, which decides the operations and options it has. */
enum Kind {
    LISTENER("listening socket"),
    STREAM("stream socket"),
    DATAGRAM("datagram socket");

    /** The kind's name, for messages. */
    final String label;

    Kind(String label) {
        this.label = label;
    }
}
