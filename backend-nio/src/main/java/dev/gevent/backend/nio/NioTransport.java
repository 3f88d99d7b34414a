package dev.gevent.backend.nio;

import dev.gevent.spi.Completion;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * The socket operations of a {@link NioEventLoop}. Each operation first tries the non-blocking
 * call; only if that would block does it park in its direction's slot, and {@link #resume} retries
 * it when the selector reports the socket ready. A retry that still would block (spurious
 * readiness) leaves the operation pending.
 */
final class NioTransport implements Transport {
    private final NioEventLoop loop;

    NioTransport(NioEventLoop loop) {
        this.loop = loop;
    }

    @Override
    public SocketHandle listen(SocketAddress local, int backlog, boolean reusePort) throws IOException {
        loop.ensureOpen();
        return track(Channels.listen(local, backlog, reusePort));
    }

    @Override
    public SocketHandle openStream(SocketAddress remote) throws IOException {
        loop.ensureOpen();
        return track(Channels.stream(remote));
    }

    @Override
    public SocketHandle openDatagram(SocketAddress local) throws IOException {
        loop.ensureOpen();
        return track(Channels.datagram(local));
    }

    private NioSocket track(SelectableChannel channel) {
        NioSocket socket = new NioSocket(channel, this);
        loop.remember(socket);
        return socket;
    }

    @Override
    public SocketHandle accept(SocketHandle listener, Completion completion) throws IOException {
        NioSocket socket = usable(listener, completion);
        ServerSocketChannel channel = socket.listener(Op.ACCEPT.label);
        socket.input.requireIdle(Op.ACCEPT);
        SocketChannel accepted = channel.accept();
        if (accepted != null) {
            return track(Channels.adopt(accepted));
        }
        loop.park(socket, socket.input, Op.ACCEPT, completion, null, null);
        return null;
    }

    @Override
    public long connect(SocketHandle handle, SocketAddress remote, Completion completion) throws IOException {
        NioSocket socket = usable(handle, completion);
        SocketChannel channel = socket.stream(Op.CONNECT.label);
        socket.output.requireIdle(Op.CONNECT);
        if (channel.connect(remote)) {
            return 0;
        }
        loop.park(socket, socket.output, Op.CONNECT, completion, null, null);
        return PENDING;
    }

    @Override
    public long read(SocketHandle handle, ByteBuffer dst, Completion completion) throws IOException {
        NioSocket socket = usable(handle, completion);
        SocketChannel channel = socket.stream(Op.READ.label);
        socket.input.requireIdle(Op.READ);
        requireRemaining(dst, Op.READ);
        if (!socket.drained) {
            int n;
            try {
                n = channel.read(dst);
            } catch (IOException e) {
                throw socketFailure(e);
            }
            if (n != 0) {
                socket.drained = n > 0 && dst.hasRemaining();
                return n;
            }
        }
        loop.park(socket, socket.input, Op.READ, completion, dst, null);
        return PENDING;
    }

    @Override
    public long write(SocketHandle handle, ByteBuffer src, Completion completion) throws IOException {
        NioSocket socket = usable(handle, completion);
        SocketChannel channel = socket.stream(Op.WRITE.label);
        socket.output.requireIdle(Op.WRITE);
        requireRemaining(src, Op.WRITE);
        int n;
        try {
            n = channel.write(src);
        } catch (IOException e) {
            throw socketFailure(e);
        }
        if (n != 0) {
            return n;
        }
        loop.park(socket, socket.output, Op.WRITE, completion, src, null);
        return PENDING;
    }

    @Override
    public long sendTo(SocketHandle handle, ByteBuffer src, SocketAddress target, Completion completion)
            throws IOException {
        NioSocket socket = usable(handle, completion);
        DatagramChannel channel = socket.datagram(Op.SEND.label);
        socket.output.requireIdle(Op.SEND);
        Objects.requireNonNull(target, "target");
        boolean empty = !src.hasRemaining();
        int n = channel.send(src, target);
        if (n != 0 || empty) {
            return n;
        }
        loop.park(socket, socket.output, Op.SEND, completion, src, target);
        return PENDING;
    }

    @Override
    public SocketAddress receiveFrom(SocketHandle handle, ByteBuffer dst, Completion completion) throws IOException {
        NioSocket socket = usable(handle, completion);
        DatagramChannel channel = socket.datagram(Op.RECEIVE.label);
        socket.input.requireIdle(Op.RECEIVE);
        SocketAddress sender = channel.receive(dst);
        if (sender != null) {
            return sender;
        }
        loop.park(socket, socket.input, Op.RECEIVE, completion, dst, null);
        return null;
    }

    @Override
    public boolean cancel(SocketHandle handle, Completion completion) {
        NioSocket socket = nio(handle);
        Objects.requireNonNull(completion, "completion");
        // One completion pending in both directions at once is ambiguous: the input one goes first.
        Slot slot = socket.input.completion == completion ? socket.input
                : socket.output.completion == completion ? socket.output
                : null;
        if (slot == null) {
            return false;
        }
        loop.withdraw(socket, slot);
        return true;
    }

    @Override
    public void shutdown(SocketHandle handle, boolean input, boolean output) throws IOException {
        NioSocket socket = open(handle);
        SocketChannel channel = socket.stream("shutdown");
        if (input) {
            channel.shutdownInput();
        }
        if (output) {
            channel.shutdownOutput();
        }
    }

    @Override
    public void close(SocketHandle handle) throws IOException {
        NioSocket socket = nio(handle);
        if (!socket.isOpen()) {
            return;
        }
        IOException closeError = null;
        try {
            closeChannel(socket);
            if (socket.channel instanceof ServerSocketChannel && socket.channel.isRegistered()) {
                loop.releaseClosedChannels();
            }
        } catch (IOException e) {
            closeError = e;
        }
        Throwable thrown = loop.abort(socket);
        if (thrown != null && closeError != null) {
            thrown.addSuppressed(closeError);
        }
        Failures.rethrow(thrown);
        if (closeError != null) {
            throw closeError;
        }
    }

    /**
     * Closes a socket for {@link NioEventLoop#close()}, failing its pending operations.
     *
     * @return what went wrong (the channel's close or a completion), or null
     */
    Throwable release(NioSocket socket) {
        Throwable failure = null;
        try {
            closeChannel(socket);
        } catch (IOException e) {
            failure = e;
        }
        return Failures.merge(failure, loop.abort(socket));
    }

    /**
     * Closing a channel cancels its key. The JDK releases the file descriptor of a channel that was
     * registered only in the selector's next select, so in the loop's next poll; it shuts a
     * connected socket's output at once (unless SO_LINGER is 0), so the peer sees the end of the
     * stream right away.
     */
    private void closeChannel(NioSocket socket) throws IOException {
        socket.markClosed();
        loop.forget(socket);
        socket.channel.close();
    }

    @Override
    public <T> void setOption(SocketHandle handle, SocketOption<T> option, T value) throws IOException {
        open(handle).network().setOption(option, value);
    }

    @Override
    public <T> T getOption(SocketHandle handle, SocketOption<T> option) throws IOException {
        return open(handle).network().getOption(option);
    }

    @Override
    public SocketAddress localAddress(SocketHandle handle) throws IOException {
        return open(handle).network().getLocalAddress();
    }

    @Override
    public SocketAddress remoteAddress(SocketHandle handle) throws IOException {
        return switch (open(handle).channel) {
            case SocketChannel c -> c.getRemoteAddress();
            case DatagramChannel c -> c.getRemoteAddress();
            default -> null;
        };
    }

    /**
     * Retries the operation pending in {@code slot} now that its socket is ready, and completes it
     * unless it would still block.
     *
     * @return what the completion threw, or null
     */
    Throwable resume(NioSocket socket, Slot slot) {
        long result = 0;
        Object value = null;
        try {
            switch (slot.op) {
                case ACCEPT -> {
                    SocketChannel accepted = socket.listener(Op.ACCEPT.label).accept();
                    if (accepted == null) {
                        return null;
                    }
                    value = track(Channels.adopt(accepted));
                }
                case READ -> {
                    result = socket.stream(Op.READ.label).read(slot.buffer);
                    if (result == 0) {
                        return null;
                    }
                    socket.drained = result > 0 && slot.buffer.hasRemaining();
                }
                case RECEIVE -> {
                    int before = slot.buffer.position();
                    value = socket.datagram(Op.RECEIVE.label).receive(slot.buffer);
                    if (value == null) {
                        return null;
                    }
                    result = slot.buffer.position() - before;
                }
                case CONNECT -> {
                    if (!socket.stream(Op.CONNECT.label).finishConnect()) {
                        return null;
                    }
                }
                case WRITE -> {
                    result = socket.stream(Op.WRITE.label).write(slot.buffer);
                    if (result == 0) {
                        return null;
                    }
                }
                case SEND -> {
                    result = socket.datagram(Op.SEND.label).send(slot.buffer, slot.target);
                    if (result == 0) {
                        return null;
                    }
                }
            }
        } catch (IOException e) {
            return loop.fail(slot, socketFailure(e));
        } catch (RuntimeException e) {
            // Failing the operation rather than the loop keeps the slot from retrying forever.
            return loop.fail(slot, new IOException(slot.op.label + " failed", e));
        }
        return loop.complete(slot, result, value);
    }

    /** @return the socket, open, with a completion to call if the operation must wait */
    private NioSocket usable(SocketHandle handle, Completion completion) throws ClosedChannelException {
        Objects.requireNonNull(completion, "completion");
        return open(handle);
    }

    private NioSocket open(SocketHandle handle) throws ClosedChannelException {
        NioSocket socket = nio(handle);
        if (!socket.isOpen()) {
            throw new ClosedChannelException();
        }
        return socket;
    }

    private NioSocket nio(SocketHandle handle) {
        if (handle instanceof NioSocket socket && socket.owner == this) {
            return socket;
        }
        throw new IllegalArgumentException("not a socket of this event loop: " + handle);
    }

    /**
     * The JDK's socket channels report many failures of an operation as a plain IOException (a
     * write after a reset: "Connection reset by peer" or "Broken pipe"), where {@code java.net.Socket}
     * and the transport's contract report a {@link SocketException}; the more specific ones
     * (closed, reset on read, refused, unreachable) pass as they are.
     */
    private static IOException socketFailure(IOException e) {
        return e.getClass() == IOException.class ? new SocketException(e.getMessage(), e) : e;
    }

    private static void requireRemaining(ByteBuffer buffer, Op op) {
        if (!buffer.hasRemaining()) {
            throw new IllegalArgumentException(op.label + " needs a buffer with at least one byte "
                    + (op == Op.READ ? "free" : "remaining"));
        }
    }
}
