package dev.gevent.backend.epoll;

/** The kinds of operation a socket can have pending, each in one direction of the socket. */
enum Op {
    ACCEPT("accept"),
    READ("read"),
    RECEIVE("receiveFrom"),
    CONNECT("connect"),
    WRITE("write"),
    SEND("sendTo");

    /** The operation's name in the SPI, for messages. */
    final String label;

    Op(String label) {
        this.label = label;
    }
}
