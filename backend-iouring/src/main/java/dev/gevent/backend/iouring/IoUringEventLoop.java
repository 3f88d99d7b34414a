package dev.gevent.backend.iouring;

import dev.gevent.backend.linux.Failures;
import dev.gevent.backend.linux.Kind;
import dev.gevent.backend.linux.Linux;
import dev.gevent.backend.linux.LinuxSockets;
import dev.gevent.spi.Completion;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.channels.AsynchronousCloseException;

/**
 * The {@code io_uring} event loop: one io_uring instance, an eventfd to wake it, the sockets its
 * {@link IoUringTransport} opened and the bookkeeping of their operations. Single-threaded except
 * {@link #wakeup()}.
 *
 * <p><b>Submission.</b> Operations started while greenlets run only write SQEs; the next
 * {@link #poll} submits all of them and waits for completions in one io_uring_enter. The hub thread
 * is the only thread that enters the ring (greenlets run on it; other threads only write the
 * eventfd), which is what lets the ring be SINGLE_ISSUER and DEFER_TASKRUN: see {@link Ring}.
 *
 * <p><b>user_data.</b> An operation's CQE names it by {@code generation << 32 | index << 2 |
 * slot}: the socket's index in the {@link SocketTable}, its slot (input, output, write-behind,
 * multishot receive), and the slot's count of operations, so a CQE that arrives for an operation
 * the loop is done with (a socket closed and its index reused) matches no slot and is dropped. 0
 * marks CQEs nobody waits for, the sign bit the wake-up READ. A multishot receive posts many CQEs
 * under one user_data, the last without CQE_F_MORE; closing its socket waits for that last one.
 *
 * <p><b>Cancellation.</b> The kernel owns an operation's buffer until its CQE, also after an
 * ASYNC_CANCEL, and the CQE may report that it completed after all. So {@link #cancelInKernel(Slot)} submits the
 * cancel and waits for the target's CQE before it returns (for socket operations, which wait in the
 * kernel's internal poll, the cancel completes them at once, within the same io_uring_enter):
 * afterwards the buffer is the caller's again, nothing is registered, and whatever the operation
 * took from the kernel is kept in its slot for the next operation, never lost. Closing a socket
 * does the same for its pending operations before close(2), so no operation of the kernel ever
 * outlives its descriptor number.
 *
 * <p>A completion that throws disturbs nothing: its slot is already clear, the other ready
 * completions still run, and {@link #poll} (or the {@code close} that called it) rethrows the first
 * such exception, with later ones suppressed, once the loop's state is consistent.
 */
final class IoUringEventLoop implements EventLoop {
    private static final int SQ_ENTRIES = 1024;
    private static final int CQ_ENTRIES = 8192;
    private static final long WAKEUP = Long.MIN_VALUE;
    /** Whether streams receive and listeners accept with multishot operations where the kernel has them. */
    static final boolean MULTISHOT = !"false".equals(System.getProperty("gevent.io_uring.multishot"));
    /**
     * Provided buffers for multishot receives: how many (a power of two; 0: none) and their size.
     * The kernel takes them in ring order and a read gives each back at once, so every buffer of
     * the ring is used in turn: a small ring stays in the CPU's caches (BENCHMARKS.md, "io_uring:
     * multishot receives and accepts"), and a socket that finds none left reads without one.
     */
    static final int RECEIVE_BUFFERS = Integer.getInteger("gevent.io_uring.receiveBuffers", 64);
    static final int RECEIVE_BUFFER_SIZE = Integer.getInteger("gevent.io_uring.receiveBufferSize", 2048);

    private final Arena arena = Arena.ofShared();
    private final LibC libc = new LibC(arena);
    /** Blocking descriptors: see {@link IoUringSocket}. */
    private final LinuxSockets linuxSockets = new LinuxSockets(libc, Linux.SOCK_CLOEXEC);
    private final Ring ring;
    private final WakeupSignal wakeup;
    private final IoUringTransport transport;
    private final SocketTable sockets = new SocketTable();
    final BufferPool buffers = new BufferPool();
    /**
     * Whether listeners accept with a multishot ACCEPT: wanted ({@link #MULTISHOT}) and a kernel of
     * 6.1 or later, for which the DEFER_TASKRUN setup stands (multishot ACCEPT came with 5.19, RECV
     * with 6.0).
     */
    final boolean multishot;
    /** The provided buffers of multishot receives, or null: no {@link #multishot}, or none wanted. */
    final ProvidedBuffers provided;
    private int pending;
    /** Counts the completions called, so that a poll knows whether it ran any. */
    private long completed;
    private boolean woken;
    private boolean closed;
    private Throwable completionFailure;

    IoUringEventLoop() {
        this(MULTISHOT, RECEIVE_BUFFERS, RECEIVE_BUFFER_SIZE);
    }

    /**
     * @param multishot whether to use multishot operations where the kernel has them
     * @param receiveBuffers provided buffers for multishot receives: a power of two up to 32768, or
     *     0 for none
     * @param receiveBufferSize the size of each
     */
    IoUringEventLoop(boolean multishot, int receiveBuffers, int receiveBufferSize) {
        if (receiveBuffers != 0) {
            ProvidedBuffers.requireValid(receiveBuffers, receiveBufferSize);
        }
        try {
            ring = new Ring(libc, arena, SQ_ENTRIES, CQ_ENTRIES);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot set up an io_uring instance", e);
        }
        int efd = libc.eventfd(0, Linux.EFD_CLOEXEC);
        if (efd < 0) {
            IOException e = libc.socketError(libc.errno());
            ring.close();
            arena.close();
            throw new UncheckedIOException("cannot create an eventfd", e);
        }
        wakeup = new WakeupSignal(efd, arena);
        this.multishot = multishot && (ring.setupFlags & IoUringAbi.SETUP_DEFER_TASKRUN) != 0;
        provided = this.multishot && receiveBuffers > 0
                ? ProvidedBuffers.register(libc, ring.fd, arena, (short) 0, receiveBuffers, receiveBufferSize)
                : null;
        armWakeup();
        transport = new IoUringTransport(this, libc, linuxSockets);
    }

    private void armWakeup() {
        long sqe = ring.next();
        ring.prepare(sqe, IoUringAbi.OP_READ, wakeup.fd, wakeup.sink, Long.BYTES, 0, 0, WAKEUP);
    }

    @Override
    public void poll(long timeoutNanos) {
        ensureOpen();
        if (timeoutNanos < 0 && timeoutNanos != FOREVER) {
            throw new IllegalArgumentException("poll timeout must be 0, positive or FOREVER, not " + timeoutNanos);
        }
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        long completedBefore = completed;
        woken = false;
        try {
            for (;;) {
                long wait = timeoutNanos;
                if (timeoutNanos > 0) {
                    wait = deadline - System.nanoTime();
                    if (wait <= 0) {
                        wait = 0;
                    }
                }
                ring.submitAndWait(wait);
                dispatch();
                if (closed || woken || completed != completedBefore || wait == 0) {
                    break;
                }
            }
        } finally {
            if (!closed) {
                wakeup.clear();
            }
        }
        Throwable failure = completionFailure;
        completionFailure = null;
        Failures.rethrow(failure);
    }

    private void dispatch() {
        while (!closed && ring.hasCompletion()) {
            long userData = ring.take();
            int result = ring.result();
            if (userData == Ring.IGNORED) {
                continue;
            }
            if (userData == WAKEUP) {
                woken = true;
                armWakeup();
                continue;
            }
            IoUringSocket socket = sockets.at((int) ((userData & 0xffff_ffffL) >>> 2));
            if (socket == null) {
                continue;
            }
            int which = (int) (userData & 3);
            Slot slot = switch (which) {
                case 0 -> socket.input;
                case 1 -> socket.output;
                case 2 -> socket.behind;
                default -> socket.multishot;
            };
            if (slot.userData == userData) {
                Throwable failure = switch (which) {
                    case 2 -> transport.finishBehind(socket, result);
                    case 3 -> socket.kind == Kind.LISTENER ? transport.acceptedMultishot(socket, result, ring.flags())
                            : transport.received(socket, result, ring.flags());
                    default -> transport.finish(socket, slot, result);
                };
                completionFailure = Failures.merge(completionFailure, failure);
            }
        }
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
        for (int i = 0; i < sockets.capacity(); i++) {
            IoUringSocket socket = sockets.at(i);
            if (socket != null) {
                failure = Failures.merge(failure, transport.release(socket));
            }
        }
        // The wake-up READ writes into the arena: it must be over before the arena goes.
        cancelInKernel(WAKEUP);
        wakeup.close(libc);
        ring.close();
        arena.close();
        Failures.rethrow(failure);
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this io_uring event loop is closed");
        }
    }

    /** Adds a new descriptor to the loop's sockets. */
    IoUringSocket register(int fd, Kind kind, int family, IoUringTransport owner) {
        IoUringSocket socket = new IoUringSocket(fd, kind, family, owner);
        sockets.add(socket);
        return socket;
    }

    /** Forgets a socket whose operations are over. */
    void forget(IoUringSocket socket) {
        sockets.remove(socket);
    }

    /**
     * Queues the operation armed in {@code slot}: its SQE goes to the kernel with the next
     * io_uring_enter.
     *
     * @return its SQE, for {@link #pollFirst}
     */
    long submit(IoUringSocket socket, Slot slot, byte opcode, long address, int length, long offset, int opFlags) {
        pending++;
        return queue(socket, slot, opcode, address, length, offset, opFlags);
    }

    /**
     * Queues a write-behind SEND. It is not among the {@link #pendingOperations()}: no greenlet
     * waits for it, and a loop that closes sends what it can of it first.
     *
     * @return its SQE, whose length {@link #resize} may change until {@link #unsubmitted} says otherwise
     */
    long submitBehind(IoUringSocket socket, long address, int length, int opFlags) {
        long sqe = queue(socket, socket.behind, IoUringAbi.OP_SEND, address, length, 0, opFlags);
        socket.outboundTicket = ring.lastTicket();
        return sqe;
    }

    private long queue(IoUringSocket socket, Slot slot, byte opcode, long address, int length, long offset, int opFlags) {
        int generation = (slot.generation + 1) & 0x7fff_ffff;
        slot.generation = generation == 0 ? 1 : generation;
        slot.userData = (long) slot.generation << 32 | (long) socket.index << 2 | slot.index;
        long sqe = ring.next();
        ring.prepare(sqe, opcode, socket.fd, address, length, offset, opFlags, slot.userData);
        return sqe;
    }

    /** @return whether the SQE with this ticket is still in the SQ */
    boolean unsubmitted(int ticket) {
        return ring.unsubmitted(ticket);
    }

    /** Changes the length of an SQE still in the SQ. */
    void resize(long sqe, int length) {
        ring.length(sqe, length);
    }

    /** Counts an operation that waits in the loop, not in the kernel, among the pending ones. */
    void hold() {
        pending++;
    }

    /** An operation that {@link #hold} counted is about to be {@link #submit submitted}: it is counted once. */
    void resubmitHeld() {
        pending--;
    }

    /** @return whether {@link #close()} is under way */
    boolean isClosing() {
        return closed;
    }

    /**
     * Submits what is queued and waits for the CQE of the operation in {@code slot}, which must be
     * one that completes at once (a SEND with MSG_DONTWAIT).
     *
     * @return its result
     */
    int settle(Slot slot) {
        int result = ring.await(slot.userData);
        slot.userData = 0;
        return result;
    }

    /** Queues the same operation again (it ended in a way that only means: try again); @return its SQE */
    long resubmit(IoUringSocket socket, Slot slot, byte opcode, long address, int length, long offset, int opFlags) {
        pending--;
        return submit(socket, slot, opcode, address, length, offset, opFlags);
    }

    /**
     * Queues a multishot RECV on the socket into the {@link #provided} buffers. Like a multishot
     * ACCEPT, it is not among the {@link #pendingOperations()}: the reads it serves are ({@link #hold}).
     */
    void submitMultishotReceive(IoUringSocket socket) {
        long sqe = queue(socket, socket.multishot, IoUringAbi.OP_RECV, 0, 0, 0, 0);
        ring.receiveMultishot(sqe, provided.group);
    }

    /** Queues a multishot ACCEPT on the listener. */
    void submitMultishotAccept(IoUringSocket socket) {
        long sqe = queue(socket, socket.multishot, IoUringAbi.OP_ACCEPT, 0, 0, 0, Linux.SOCK_CLOEXEC);
        ring.acceptMultishot(sqe);
    }

    /** Asks the socket's multishot operation to end; its last CQE comes later, without CQE_F_MORE. */
    void stopMultishot(IoUringSocket socket) {
        long sqe = ring.next();
        ring.prepare(sqe, IoUringAbi.OP_ASYNC_CANCEL, -1, socket.multishot.userData, 0, 0, 0, Ring.IGNORED);
        socket.multishotStopping = true;
    }

    /**
     * Ends the socket's multishot operation and waits for its last CQE. What it took meanwhile, and
     * what waits in the socket's {@link IoUringSocket#inbound} or {@link IoUringSocket#accepted},
     * is let go: provided buffers go back to the kernel unread, accepted connections are closed.
     */
    void closeMultishot(IoUringSocket socket) {
        Slot multishot = socket.multishot;
        boolean listener = socket.kind == Kind.LISTENER;
        if (multishot.userData != 0) {
            long userData = multishot.userData;
            long sqe = ring.next();
            ring.prepare(sqe, IoUringAbi.OP_ASYNC_CANCEL, -1, userData, 0, 0, 0, Ring.IGNORED);
            int flags;
            do {
                int result = ring.await(userData);
                flags = ring.flags();
                if ((flags & IoUringAbi.CQE_F_BUFFER) != 0) {
                    provided.give(provided.filled(flags));
                } else if (listener && result >= 0) {
                    libc.close(result);
                }
            } while ((flags & IoUringAbi.CQE_F_MORE) != 0);
            multishot.userData = 0;
            socket.multishotStopping = false;
        }
        if (socket.inbound != null) {
            socket.inbound.clear(provided);
        }
        while (socket.accepted != null && !socket.accepted.isEmpty()) {
            libc.close(socket.accepted.take());
        }
    }

    /** Has the receive queued in {@code sqe} wait for data before it is tried, where the kernel can. */
    void pollFirst(long sqe) {
        ring.pollFirst(sqe);
    }

    /**
     * Cancels the operation in {@code slot} in the kernel and waits for its CQE.
     *
     * @return its result: -ECANCELED if it was withdrawn, or what it did before the cancel reached it
     */
    int cancelInKernel(Slot slot) {
        int result = cancelInKernel(slot.userData);
        slot.userData = 0;
        return result;
    }

    private int cancelInKernel(long userData) {
        long sqe = ring.next();
        ring.prepare(sqe, IoUringAbi.OP_ASYNC_CANCEL, -1, userData, 0, 0, 0, Ring.IGNORED);
        return ring.await(userData);
    }

    /** Ends the operation in {@code slot} without calling its completion. */
    void withdrawn(Slot slot) {
        release(slot);
        slot.clear();
        pending--;
    }

    /** @return what the completion threw, or null */
    Throwable complete(Slot slot, long result, Object value) {
        release(slot);
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
        release(slot);
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

    private void release(Slot slot) {
        if (slot.bounce != null) {
            buffers.give(slot.bounce);
        }
    }

    /** Fails what was pending on a socket that was just closed; @return what the completions threw */
    Throwable abort(IoUringSocket socket) {
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
