package dev.gevent.backend.nio;

import dev.gevent.spi.Completion;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * The {@code nio} event loop: one {@link Selector}, the sockets its {@link NioTransport} opened, and
 * the bookkeeping of their pending operations. Single-threaded except {@link #wakeup()}.
 *
 * <p>Completions are called with their slot already cleared, so a completion may start the next
 * operation in the same direction at once. The interest bit of a direction that a completion left
 * idle is dropped only at the start of the next poll, if the direction is still idle then: a
 * completion only makes its greenlet runnable, and the greenlet, run before that poll, usually
 * starts its next operation in the same direction (a read loop), which spares a pair of interest
 * changes per operation.
 *
 * <p>A completion that throws disturbs nothing: its slot is already clear, the other ready
 * completions still run, and {@link #poll} (or the {@code close} that called it) rethrows the
 * first such exception, with later ones suppressed, once the loop's state is consistent.
 *
 * <p>{@link #poll} with a negative timeout other than {@link #FOREVER} is an
 * {@link IllegalArgumentException}; {@link #poll} and opening sockets after {@link #close()} are an
 * {@link IllegalStateException}.
 */
final class NioEventLoop implements EventLoop {
    private static final Consumer<SelectionKey> IGNORE = key -> { };
    private final Selector selector;
    private final WakeupSignal wakeup;
    private final NioTransport transport;
    private final SocketRegistry sockets = new SocketRegistry();
    private final Consumer<SelectionKey> onReady = this::onReady;
    /** Sockets whose completions ran in the last poll: their idle interest is dropped before the next. */
    private final ArrayList<NioSocket> settling = new ArrayList<>();
    private int pending;
    private boolean selecting;
    private boolean releaseAfterSelect;
    private boolean closed;
    /** What completions threw during the current poll, rethrown when it ends. */
    private Throwable completionFailure;

    NioEventLoop() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector", e);
        }
        wakeup = new WakeupSignal(selector);
        transport = new NioTransport(this);
    }

    @Override
    public void poll(long timeoutNanos) {
        ensureOpen();
        settleInterest();
        try {
            selecting = true;
            if (timeoutNanos == 0) {
                selector.selectNow(onReady);
            } else if (timeoutNanos == FOREVER) {
                selector.select(onReady);
            } else if (timeoutNanos > 0) {
                selector.select(onReady, millisRoundedUp(timeoutNanos));
            } else {
                throw new IllegalArgumentException("poll timeout must be 0, positive or FOREVER, not " + timeoutNanos);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("select failed", e);
        } catch (ClosedSelectorException e) {
            if (!closed) {
                throw e;
            }
        } finally {
            selecting = false;
            if (releaseAfterSelect && !closed) {
                releaseAfterSelect = false;
                releaseClosedChannels();
            }
            // last: a wake-up that the release's select consumed was raised before this clear, so
            // its work is already queued where the hub looks after the poll
            wakeup.clear();
        }
        Throwable failure = completionFailure;
        completionFailure = null;
        Failures.rethrow(failure);
    }

    /** Drops the interest of the directions that stayed idle since their completions ran. */
    private void settleInterest() {
        for (int i = 0, n = settling.size(); i < n; i++) {
            NioSocket socket = settling.get(i);
            socket.settling = false;
            socket.dropIdleInterest();
        }
        settling.clear();
    }

    /** Rounds up so that a sub-millisecond wait still waits instead of spinning, and never becomes 0 (forever). */
    private static long millisRoundedUp(long nanos) {
        long millis = nanos / 1_000_000;
        return nanos % 1_000_000 == 0 ? millis : millis + 1;
    }

    @Override
    public void wakeup() {
        wakeup.raise();
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public int pendingOperations() {
        return pending;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Throwable failure = null;
        for (NioSocket socket; (socket = sockets.any()) != null; ) {
            failure = Failures.merge(failure, transport.release(socket));
        }
        try {
            selector.close();
        } catch (IOException e) {
            failure = Failures.merge(failure, new UncheckedIOException("cannot close the selector", e));
        }
        Failures.rethrow(failure);
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this nio event loop is closed");
        }
    }

    /**
     * Frees now the descriptors of channels closed while registered, which the JDK frees only when
     * the selector next flushes its cancelled keys: a closed listener would otherwise keep its port
     * until the next poll, completing handshakes it then resets and failing a new bind. Inside a
     * select (a completion that closed a listener) it happens as the select ends. The readiness
     * this select reports is dropped: the selector is level-triggered and reports it again.
     */
    void releaseClosedChannels() {
        if (selecting) {
            releaseAfterSelect = true;
            return;
        }
        try {
            selector.selectNow(IGNORE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release closed channels", e);
        }
    }

    /** Remembers a socket its transport opened, to close it with the loop. */
    void remember(NioSocket socket) {
        sockets.add(socket);
    }

    /** Forgets a socket that was closed. */
    void forget(NioSocket socket) {
        sockets.remove(socket);
    }

    /** Makes an operation wait in {@code slot} until its socket is ready. */
    void park(NioSocket socket, Slot slot, Op op, Completion completion, ByteBuffer buffer, SocketAddress target)
            throws ClosedChannelException {
        slot.arm(op, completion, buffer, target);
        try {
            socket.updateInterest(selector);
        } catch (ClosedChannelException | RuntimeException e) {
            slot.clear();
            throw e;
        }
        pending++;
    }

    /** Withdraws the operation in {@code slot}; its completion is not called. */
    void withdraw(NioSocket socket, Slot slot) {
        slot.clear();
        pending--;
        socket.dropIdleInterest();
    }

    /** @return what the completion threw, or null */
    Throwable complete(Slot slot, long result, Object value) {
        Completion completion = slot.clear();
        pending--;
        try {
            completion.complete(result, value);
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    /** @return what the completion threw, or null */
    Throwable fail(Slot slot, IOException error) {
        Completion completion = slot.clear();
        pending--;
        try {
            completion.fail(error);
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    /** Fails what is pending on a socket that was just closed; @return what the completions threw */
    Throwable abort(NioSocket socket) {
        Throwable failure = null;
        if (socket.input.busy()) {
            failure = fail(socket.input, new AsynchronousCloseException());
        }
        if (socket.output.busy()) {
            failure = Failures.merge(failure, fail(socket.output, new AsynchronousCloseException()));
        }
        return failure;
    }

    private void onReady(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        NioSocket socket = (NioSocket) key.attachment();
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_READ) != 0) {
            socket.drained = false;
        }
        if ((ready & socket.input.interest()) != 0) {
            completionFailure = Failures.merge(completionFailure, transport.resume(socket, socket.input));
        }
        if ((ready & socket.output.interest()) != 0) {
            completionFailure = Failures.merge(completionFailure, transport.resume(socket, socket.output));
        }
        if (!socket.settling) {
            socket.settling = true;
            settling.add(socket);
        }
    }
}
