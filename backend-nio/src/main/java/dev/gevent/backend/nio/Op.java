package dev.gevent.backend.nio;

import java.nio.channels.SelectionKey;

/** The kinds of operation a socket can have pending, with the readiness each one waits for. */
enum Op {
    ACCEPT("accept", SelectionKey.OP_ACCEPT),
    READ("read", SelectionKey.OP_READ),
    RECEIVE("receiveFrom", SelectionKey.OP_READ),
    CONNECT("connect", SelectionKey.OP_CONNECT),
    WRITE("write", SelectionKey.OP_WRITE),
    SEND("sendTo", SelectionKey.OP_WRITE);

    /** The operation's name in the SPI, for messages. */
    final String label;
    /** The selector interest that tells when retrying it may succeed. */
    final int interest;

    Op(String label, int interest) {
        this.label = label;
        this.interest = interest;
    }
}
