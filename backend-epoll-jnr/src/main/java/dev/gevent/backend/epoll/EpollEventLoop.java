package dev.gevent.backend.epoll;

import dev.gevent.backend.linux.Failures;
import dev.gevent.backend.linux.Kind;
import dev.gevent.backend.linux.Linux;
import dev.gevent.backend.linux.LinuxSockets;
import dev.gevent.backend.linux.SocketCalls;
import dev.gevent.spi.Completion;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;

/**
 * The {@code epoll} event loop: an epoll instance, an eventfd to wake it, the sockets its
 * {@link EpollTransport} opened, and the bookkeeping of their pending operations.
 * Single-threaded except {@link #wakeup()}.
 *
 * <p><b>Registration.</b> Every socket is added to the epoll set once, when it is created, with
 * {@code EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET}, and never modified: close(2) removes it. An
 * operation tries its system call first and parks only on EAGAIN, so no readiness is ever needed
 * before it starts, and edge-triggered reports of a socket nobody waits on cost one look-up and are
 * dropped. This spares an {@code epoll_ctl} per operation, which a one-shot registration re-armed
 * on each EAGAIN would pay, and the edge can never be missed: it is queued in the kernel from the
 * moment the socket's state changes after the last report, whether or not an operation is parked
 * yet. Measured against a one-shot registration re-armed with {@code EPOLL_CTL_MOD} on each park
 * (echo, 64 connections of 64 bytes, see BENCHMARKS.md): edge-triggered 147,100 msgs/s against
 * one-shot 127,934 (medians of three rounds), one-shot making one {@code epoll_ctl} per message;
 * edge-triggered is kept.
 *
 * <p><b>Polling.</b> Completions are called with their slot already cleared, so a completion may
 * start the next operation in the same direction at once. Since reports of sockets nobody waits on
 * complete nothing, {@link #poll} keeps waiting until a completion ran, a {@link #wakeup()} came or
 * its timeout passed.
 *
 * <p>A completion that throws disturbs nothing: its slot is already clear, the other ready
 * completions still run, and {@link #poll} (or the {@code close} that called it) rethrows the
 * first such exception, with later ones suppressed, once the loop's state is consistent.
 *
 * <p>{@link #poll} with a negative timeout other than {@link #FOREVER} is an
 * {@link IllegalArgumentException}; {@link #poll} and opening sockets after {@link #close()} are an
 * {@link IllegalStateException}.
 */
final class EpollEventLoop implements EventLoop {
    private static final int MAX_EVENTS = 256;
    /** The epoll_event data of the wake-up eventfd; no socket's token is -1. */
    private static final long WAKEUP_TOKEN = -1;
    private static final int REGISTRATION = EpollAbi.EPOLLIN | EpollAbi.EPOLLOUT | EpollAbi.EPOLLRDHUP | EpollAbi.EPOLLET;
    private static final int INPUT_READY = EpollAbi.EPOLLIN | EpollAbi.EPOLLRDHUP | EpollAbi.EPOLLHUP | EpollAbi.EPOLLERR;
    private static final int OUTPUT_READY = EpollAbi.EPOLLOUT | EpollAbi.EPOLLHUP | EpollAbi.EPOLLERR;
    private static final int HANG_UP = EpollAbi.EPOLLRDHUP | EpollAbi.EPOLLHUP | EpollAbi.EPOLLERR;

    private final LibC libc = Native.LIBC;
    private final SocketCalls calls = new JnrSocketCalls(libc);
    private final int epfd;
    private final WakeupSignal wakeup;
    private final LinuxSockets linuxSockets = new LinuxSockets(calls, Linux.SOCK_NONBLOCK | Linux.SOCK_CLOEXEC);
    private final Scratch scratch = new Scratch(linuxSockets);
    private final ByteBuffer events = Native.allocate(MAX_EVENTS * EpollAbi.EPOLL_EVENT_SIZE);
    private final long eventsPointer = Native.address(events);
    private final EpollTransport transport;
    private final SocketTable sockets = new SocketTable();
    private int generations;
    private int pending;
    /** Counts the completions called, so that a poll knows whether it ran any. */
    private long completed;
    private boolean closed;
    /** What completions threw during the current poll, rethrown when it ends. */
    private Throwable completionFailure;

    EpollEventLoop() {
        epfd = libc.epoll_create1(EpollAbi.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw new UncheckedIOException("cannot create an epoll instance", calls.socketError(Native.errno()));
        }
        int efd = libc.eventfd(0, Linux.EFD_CLOEXEC | Linux.EFD_NONBLOCK);
        if (efd < 0) {
            IOException e = calls.socketError(Native.errno());
            libc.close(epfd);
            throw new UncheckedIOException("cannot create an eventfd", e);
        }
        wakeup = new WakeupSignal(efd);
        // Level-triggered: the eventfd stays reported until the hub drains it after the poll.
        if (ctlAdd(efd, EpollAbi.EPOLLIN, WAKEUP_TOKEN) < 0) {
            IOException e = calls.socketError(Native.errno());
            wakeup.close();
            libc.close(epfd);
            throw new UncheckedIOException("cannot add the eventfd to epoll", e);
        }
        transport = new EpollTransport(this, scratch, linuxSockets);
    }

    @Override
    public void poll(long timeoutNanos) {
        ensureOpen();
        if (timeoutNanos < 0 && timeoutNanos != FOREVER) {
            throw new IllegalArgumentException("poll timeout must be 0, positive or FOREVER, not " + timeoutNanos);
        }
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        long completedBefore = completed;
        try {
            for (;;) {
                int timeoutMillis;
                if (timeoutNanos == 0) {
                    timeoutMillis = 0;
                } else if (timeoutNanos == FOREVER) {
                    timeoutMillis = -1;
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    timeoutMillis = millisRoundedUp(left);
                }
                int n = libc.epoll_wait(epfd, eventsPointer, MAX_EVENTS, timeoutMillis);
                if (n < 0) {
                    int errno = Native.errno();
                    if (errno == Linux.EINTR) {
                        continue;
                    }
                    throw new UncheckedIOException("epoll_wait failed", calls.socketError(errno));
                }
                boolean woken = dispatch(n);
                if (closed || woken || completed != completedBefore || timeoutNanos == 0) {
                    break;
                }
            }
        } finally {
            // last: a wake-up raised before this clear is seen by the hub's next look at its queues
            if (!closed) {
                wakeup.clear();
            }
        }
        Throwable failure = completionFailure;
        completionFailure = null;
        Failures.rethrow(failure);
    }

    /** @return whether the wake-up eventfd was among the reports */
    private boolean dispatch(int n) {
        boolean woken = false;
        for (int i = 0; i < n && !closed; i++) {
            int at = i * EpollAbi.EPOLL_EVENT_SIZE;
            int ready = events.getInt(at);
            long token = events.getLong(at + EpollAbi.EPOLL_DATA_OFFSET);
            if (token == WAKEUP_TOKEN) {
                woken = true;
                continue;
            }
            EpollSocket socket = sockets.lookup(token);
            if (socket == null) {
                continue;
            }
            if ((ready & HANG_UP) != 0) {
                socket.hungUp = true;
            }
            if ((ready & INPUT_READY) != 0) {
                socket.drained = false;
                if (socket.input.busy()) {
                    completionFailure = Failures.merge(completionFailure, transport.resume(socket, socket.input));
                }
            }
            if ((ready & OUTPUT_READY) != 0 && socket.isOpen() && socket.output.busy()) {
                completionFailure = Failures.merge(completionFailure, transport.resume(socket, socket.output));
            }
        }
        return woken;
    }

    /** Rounds up so that a sub-millisecond wait still waits instead of spinning, and never becomes 0. */
    private static int millisRoundedUp(long nanos) {
        long millis = (nanos + 999_999) / 1_000_000;
        return (int) Math.min(millis, Integer.MAX_VALUE);
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
        for (int fd = 0; fd < sockets.capacity(); fd++) {
            EpollSocket socket = sockets.at(fd);
            if (socket != null) {
                failure = Failures.merge(failure, transport.release(socket));
            }
        }
        wakeup.close();
        if (libc.close(epfd) < 0 && Native.errno() != Linux.EINTR) {
            failure = Failures.merge(failure,
                    new UncheckedIOException("cannot close the epoll instance", calls.socketError(Native.errno())));
        }
        Failures.rethrow(failure);
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this epoll event loop is closed");
        }
    }

    /**
     * Adds a new descriptor to the epoll set and to the loop's sockets.
     *
     * @throws IOException if epoll_ctl fails (the descriptor is left to the caller to close)
     */
    EpollSocket register(int fd, Kind kind, int family, EpollTransport owner) throws IOException {
        EpollSocket socket = new EpollSocket(fd, kind, family, generations++, owner);
        if (ctlAdd(fd, REGISTRATION, socket.token()) < 0) {
            throw calls.socketError(Native.errno());
        }
        sockets.add(socket);
        return socket;
    }

    private int ctlAdd(int fd, int mask, long token) {
        scratch.event.putInt(0, mask);
        scratch.event.putLong(EpollAbi.EPOLL_DATA_OFFSET, token);
        return libc.epoll_ctl(epfd, EpollAbi.EPOLL_CTL_ADD, fd, scratch.eventPointer);
    }

    /** Forgets a socket that is being closed; close(2) takes it out of the epoll set. */
    void forget(EpollSocket socket) {
        sockets.remove(socket);
    }

    /** Makes an operation wait in {@code slot} until its socket is reported ready; registers nothing. */
    void park(Slot slot, Op op, Completion completion, ByteBuffer buffer, SocketAddress target) {
        slot.arm(op, completion, buffer, target);
        pending++;
    }

    /** Withdraws the operation in {@code slot}; its completion is not called. */
    void withdraw(Slot slot) {
        slot.clear();
        pending--;
    }

    /** @return what the completion threw, or null */
    Throwable complete(Slot slot, long result, Object value) {
        Completion completion = slot.clear();
        pending--;
        completed++;
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
        completed++;
        try {
            completion.fail(error);
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    /** Fails what is pending on a socket that was just closed; @return what the completions threw */
    Throwable abort(EpollSocket socket) {
        Throwable failure = null;
        if (socket.input.busy()) {
            failure = fail(socket.input, new AsynchronousCloseException());
        }
        if (socket.output.busy()) {
            failure = Failures.merge(failure, fail(socket.output, new AsynchronousCloseException()));
        }
        return failure;
    }
}
