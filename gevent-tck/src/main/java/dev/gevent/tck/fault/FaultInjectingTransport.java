package dev.gevent.tck.fault;

import dev.gevent.spi.Completion;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import dev.gevent.tck.fault.FaultPlan.Operation;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Transport} of a {@link FaultInjectingEventLoop}: passes each operation to the backend's
 * transport, bent as its {@link FaultPlan} says. Sockets are the backend's own handles, passed
 * through. An operation held back by a would-block storm counts as pending, is withdrawn by
 * {@link #cancel} and failed by {@link #close}, as the SPI requires of any pending operation.
 */
final class FaultInjectingTransport implements Transport {
    private final EventLoop innerLoop;
    private final Transport inner;
    private final FaultPlan plan;
    /** Every operation that returned PENDING and has not completed, by the completion it was given. */
    private final Map<Completion, Call> pending = new IdentityHashMap<>();
    /** Those of {@link #pending} held back here, not yet given to the backend. */
    private final List<Call> heldBack = new ArrayList<>();
    /** Sockets whose connection a fault reset: their reads and writes fail from then on. */
    private final Set<SocketHandle> reset = Collections.newSetFromMap(new IdentityHashMap<>());

    FaultInjectingTransport(EventLoop innerLoop, FaultPlan plan) {
        this.innerLoop = innerLoop;
        this.inner = innerLoop.transport();
        this.plan = plan;
    }

    /** @return true if operations are held back, so a poll must not wait */
    boolean hasHeldBack() {
        return !heldBack.isEmpty();
    }

    /** One poll has passed: tries the held-back operations whose storm is over. */
    void afterPoll() {
        if (heldBack.isEmpty()) {
            return;
        }
        for (Call call : List.copyOf(heldBack)) {
            if (--call.pollsLeft <= 0 && heldBack.remove(call)) {
                call.retry();
            }
        }
    }

    int pendingOperations() {
        return innerLoop.pendingOperations() + heldBack.size();
    }

    /** Fails every pending operation of kind {@code operation} with a connection reset. */
    int resetWaiting(Operation operation) {
        int n = 0;
        for (Call call : List.copyOf(pending.values())) {
            if (call.operation == operation && withdraw(call)) {
                reset.add(call.socket);
                call.outer.fail(FaultPlan.connectionReset());
                n++;
            }
        }
        return n;
    }

    /** Fails every operation held back here, as a closing loop fails what is pending. */
    void closeAll() {
        for (Call call : List.copyOf(heldBack)) {
            withdraw(call);
            call.outer.fail(new AsynchronousCloseException());
        }
        reset.clear();
    }

    /** @return true if {@code call} was pending and no longer is, wherever it waited */
    private boolean withdraw(Call call) {
        if (pending.remove(call.outer) == null) {
            return false;
        }
        return heldBack.remove(call) || inner.cancel(call.socket, call);
    }

    // ---- the operations --------------------------------------------------------------------

    @Override
    public SocketHandle accept(SocketHandle listener, Completion completion) throws IOException {
        Call call = start(new Call(Operation.ACCEPT, listener, null, null, completion));
        return call == null ? null : (SocketHandle) call.value;
    }

    @Override
    public long connect(SocketHandle socket, SocketAddress remote, Completion completion) throws IOException {
        Call call = start(new Call(Operation.CONNECT, socket, null, remote, completion));
        return call == null ? PENDING : call.result;
    }

    @Override
    public long read(SocketHandle socket, ByteBuffer dst, Completion completion) throws IOException {
        Call call = start(new Call(Operation.READ, socket, dst, null, completion));
        return call == null ? PENDING : call.result;
    }

    @Override
    public long write(SocketHandle socket, ByteBuffer src, Completion completion) throws IOException {
        Call call = start(new Call(Operation.WRITE, socket, src, null, completion));
        return call == null ? PENDING : call.result;
    }

    @Override
    public long sendTo(SocketHandle socket, ByteBuffer src, SocketAddress target, Completion completion) throws IOException {
        Call call = start(new Call(Operation.SEND_TO, socket, src, target, completion));
        return call == null ? PENDING : call.result;
    }

    @Override
    public SocketAddress receiveFrom(SocketHandle socket, ByteBuffer dst, Completion completion) throws IOException {
        Call call = start(new Call(Operation.RECEIVE_FROM, socket, dst, null, completion));
        return call == null ? null : (SocketAddress) call.value;
    }

    /**
     * Starts {@code call} as the plan says.
     *
     * @return the call, its result set, if it completed at once; null if it is pending
     * @throws IOException what it failed with at once
     */
    private Call start(Call call) throws IOException {
        boolean stream = call.operation == Operation.READ || call.operation == Operation.WRITE;
        if (stream && reset.contains(call.socket)) {
            throw FaultPlan.connectionReset();
        }
        IOException failure = plan.failureFor(call.operation);
        if (failure != null && stream && failure instanceof SocketException) {
            reset.add(call.socket);
        }
        if (plan.wouldBlock() > 0) {
            call.failure = failure;
            call.pollsLeft = plan.wouldBlock();
            pending.put(call.outer, call);
            heldBack.add(call);
            plan.countHeldBack();
            return null;
        }
        if (failure != null) {
            throw failure;
        }
        if (call.attempt()) {
            return call;
        }
        pending.put(call.outer, call);
        return null;
    }

    @Override
    public boolean cancel(SocketHandle socket, Completion completion) {
        Call call = pending.get(completion);
        return call != null && withdraw(call);
    }

    @Override
    public void close(SocketHandle socket) throws IOException {
        for (Call call : List.copyOf(heldBack)) {
            if (call.socket == socket) {
                withdraw(call);
                call.outer.fail(new AsynchronousCloseException());
            }
        }
        reset.remove(socket);
        // the backend fails what it holds for this socket, through each Call to its completion
        inner.close(socket);
    }

    // ---- passed through --------------------------------------------------------------------

    @Override
    public SocketHandle listen(SocketAddress local, int backlog, boolean reusePort) throws IOException {
        return inner.listen(local, backlog, reusePort);
    }

    @Override
    public SocketHandle openStream(SocketAddress remote) throws IOException {
        return inner.openStream(remote);
    }

    @Override
    public SocketHandle openDatagram(SocketAddress local) throws IOException {
        return inner.openDatagram(local);
    }

    @Override
    public void shutdown(SocketHandle socket, boolean input, boolean output) throws IOException {
        inner.shutdown(socket, input, output);
    }

    @Override
    public <T> void setOption(SocketHandle socket, SocketOption<T> option, T value) throws IOException {
        inner.setOption(socket, option, value);
    }

    @Override
    public <T> T getOption(SocketHandle socket, SocketOption<T> option) throws IOException {
        return inner.getOption(socket, option);
    }

    @Override
    public SocketAddress localAddress(SocketHandle socket) throws IOException {
        return inner.localAddress(socket);
    }

    @Override
    public SocketAddress remoteAddress(SocketHandle socket) throws IOException {
        return inner.remoteAddress(socket);
    }

    /**
     * One operation: what it was asked, and the completion the backend gets for it, which passes
     * the outcome on to the caller's.
     */
    private final class Call implements Completion {
        final Operation operation;
        final SocketHandle socket;
        final ByteBuffer buffer;
        final SocketAddress address;
        final Completion outer;
        /** The one-byte slice of {@link #buffer} the backend was given, or null if it got the buffer. */
        private ByteBuffer window;
        int pollsLeft;
        IOException failure;
        long result;
        Object value;

        Call(Operation operation, SocketHandle socket, ByteBuffer buffer, SocketAddress address, Completion outer) {
            this.operation = operation;
            this.socket = socket;
            this.buffer = buffer;
            this.address = address;
            this.outer = outer;
        }

        /**
         * Gives the operation to the backend.
         *
         * @return true if it completed at once ({@link #result} and {@link #value} set)
         */
        boolean attempt() throws IOException {
            ByteBuffer b = buffer;
            window = null;
            if (plan.oneByteTransfers() && b != null && b.remaining() > 1
                    && (operation == Operation.READ || operation == Operation.WRITE)) {
                window = b.slice(b.position(), 1);
                b = window;
                plan.countShortened();
            }
            switch (operation) {
                case ACCEPT -> value = inner.accept(socket, this);
                case CONNECT -> result = inner.connect(socket, address, this);
                case READ -> result = inner.read(socket, b, this);
                case WRITE -> result = inner.write(socket, b, this);
                case SEND_TO -> result = inner.sendTo(socket, b, address, this);
                case RECEIVE_FROM -> value = inner.receiveFrom(socket, b, this);
            }
            boolean done = switch (operation) {
                case ACCEPT, RECEIVE_FROM -> value != null;
                default -> result != PENDING;
            };
            if (done) {
                advance(result);
            }
            return done;
        }

        /** Tries it at last, after its storm: completes the caller's completion if it is done. */
        void retry() {
            if (failure != null) {
                pending.remove(outer);
                outer.fail(failure);
                return;
            }
            boolean done;
            try {
                done = attempt();
            } catch (IOException e) {
                pending.remove(outer);
                outer.fail(e);
                return;
            }
            if (done) {
                pending.remove(outer);
                outer.complete(result, value);
            }
        }

        /** Moves the caller's buffer by what moved through the one-byte window. */
        private void advance(long transferred) {
            if (window != null && transferred > 0) {
                buffer.position(buffer.position() + (int) transferred);
            }
        }

        @Override
        public void complete(long result, Object value) {
            pending.remove(outer);
            advance(result);
            outer.complete(result, value);
        }

        @Override
        public void fail(IOException error) {
            pending.remove(outer);
            outer.fail(error);
        }

        @Override
        public String toString() {
            return operation + " on " + socket;
        }
    }
}
