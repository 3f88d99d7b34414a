package dev.gevent.backend.nio;

import dev.gevent.spi.SocketHandle;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A non-blocking channel with its two direction slots and its selector interest. It is registered
 * with the selector the first time an operation has to wait, and its interest set changes only
 * when what its slots wait for changes.
 */
final class NioSocket implements SocketHandle {
    final SelectableChannel channel;
    /** The transport that opened it; a socket is used with no other. */
    final NioTransport owner;
    final Slot input = new Slot("input");
    final Slot output = new Slot("output");
    private SelectionKey key;
    private int interest;
    private boolean open = true;
    /**
     * The last read took less than it asked for, so the kernel had no more, and the selector has
     * not reported the socket readable since: the next read waits for readiness instead of trying
     * a read(2) that would almost surely fail with EAGAIN (one syscall fewer per message in a
     * request/response loop, as Netty reads only when told). The selector is level-triggered, so
     * data that arrived meanwhile is reported at the next poll.
     */
    boolean drained;
    /** In the loop's list of sockets whose idle interest is dropped before the next poll. */
    boolean settling;
    /** Links in the loop's {@link SocketRegistry}. */
    NioSocket previous;
    NioSocket next;

    NioSocket(SelectableChannel channel, NioTransport owner) {
        this.channel = channel;
        this.owner = owner;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Marks the socket closed; its key dies with the channel, so no interest is kept for it. */
    void markClosed() {
        open = false;
        interest = 0;
    }

    /**
     * Brings the selector interest in line with the slots, registering the channel on first need.
     *
     * @throws ClosedChannelException if the channel is closed
     */
    void updateInterest(Selector selector) throws ClosedChannelException {
        int wanted = input.interest() | output.interest();
        if (wanted == interest || !open) {
            return;
        }
        if (key == null) {
            key = channel.register(selector, wanted, this);
        } else if (key.isValid()) {
            key.interestOps(wanted);
        } else {
            throw new ClosedChannelException();
        }
        interest = wanted;
    }

    /**
     * Like {@link #updateInterest(Selector)} for a socket already registered, which cannot fail.
     * The key may be dead although the socket is open: the JDK closes a channel whose connect
     * failed.
     */
    void dropIdleInterest() {
        int wanted = input.interest() | output.interest();
        if (wanted != interest && open && key.isValid()) {
            key.interestOps(wanted);
            interest = wanted;
        }
    }

    /** @throws IllegalArgumentException if this is not a stream socket */
    SocketChannel stream(String operation) {
        if (channel instanceof SocketChannel c) {
            return c;
        }
        throw wrongKind(operation, "stream socket");
    }

    /** @throws IllegalArgumentException if this is not a listening socket */
    ServerSocketChannel listener(String operation) {
        if (channel instanceof ServerSocketChannel c) {
            return c;
        }
        throw wrongKind(operation, "listening socket");
    }

    /** @throws IllegalArgumentException if this is not a datagram socket */
    DatagramChannel datagram(String operation) {
        if (channel instanceof DatagramChannel c) {
            return c;
        }
        throw wrongKind(operation, "datagram socket");
    }

    NetworkChannel network() {
        return (NetworkChannel) channel;
    }

    private IllegalArgumentException wrongKind(String operation, String needed) {
        return new IllegalArgumentException(operation + " needs a " + needed + ", not " + this);
    }

    @Override
    public String toString() {
        return "NioSocket[" + channel + "]";
    }
}
