package dev.gevent.backend.iouring;

/** The kinds of operation a socket can have pending, each in one direction of the socket. */
enum Op {
    ACCEPT("accept", true),
    READ("read", true),
    RECEIVE("receiveFrom", true),
    CONNECT("connect", false),
    WRITE("write", false),
    SEND("sendTo", false);

    /** The operation's name in the SPI, for messages. */
    final String label;
    /** Whether it takes the socket's input direction. */
    final boolean input;

    Op(String label, boolean input) {
        this.label = label;
        this.input = input;
    }
}
