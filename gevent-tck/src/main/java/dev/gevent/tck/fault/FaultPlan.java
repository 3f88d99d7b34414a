package dev.gevent.tck.fault;

import java.io.IOException;
import java.net.SocketException;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a {@link FaultInjectingLoopProvider}'s loops do to the operations of the backend they wrap.
 * A backend retries EINTR and EAGAIN inside its own system calls, so the faults are injected where
 * they can still be seen through the loop SPI:
 *
 * <ul>
 *   <li>{@link #wouldBlock(int) would-block storms} (EAGAIN): every operation is answered
 *       {@code PENDING} even when it could complete at once, and is tried only after that many
 *       polls of the loop, each of which completes nothing for it;
 *   <li>{@link #interruptedPolls(int) interrupted polls} (EINTR in {@code epoll_wait} or
 *       {@code io_uring_enter}): every poll that would wait returns at once, having run nothing,
 *       that many times in a row before it really waits;
 *   <li>{@link #oneByteTransfers(boolean) short transfers}: each read and write moves at most one
 *       byte;
 *   <li>{@link #failAfter(Operation, int, IOException) failures}: the operation of a kind after
 *       the given number of successful ones fails, at once or through its completion (when a storm
 *       is on); a connection reset also fails every later read and write of that socket, as the
 *       kernel's does.
 * </ul>
 *
 * <p>Hub thread only, like the loop it steers: set it up before the hub starts, or from the hub's
 * greenlets.
 */
public final class FaultPlan {
    /** The operations of the loop SPI that a fault can hit. */
    public enum Operation { ACCEPT, CONNECT, READ, WRITE, SEND_TO, RECEIVE_FROM }

    private int wouldBlock;
    private int interruptedPolls;
    private boolean oneByteTransfers;
    private final Map<Operation, Failure> failures = new EnumMap<>(Operation.class);
    private FaultInjectingTransport transport;
    private long heldBack;
    private long interrupted;
    private long shortened;
    private long failed;

    /** @return a connection reset, as the JDK's socket channels report one */
    public static SocketException connectionReset() {
        return new SocketException("Connection reset");
    }

    /**
     * @param polls how many polls every operation waits before it is tried (0: none)
     * @return this plan
     */
    public FaultPlan wouldBlock(int polls) {
        this.wouldBlock = requireNotNegative(polls, "polls");
        return this;
    }

    /**
     * @param times how many times in a row a poll that would wait returns at once (0: none)
     * @return this plan
     */
    public FaultPlan interruptedPolls(int times) {
        this.interruptedPolls = requireNotNegative(times, "times");
        return this;
    }

    /**
     * @param on whether reads and writes move one byte at most
     * @return this plan
     */
    public FaultPlan oneByteTransfers(boolean on) {
        this.oneByteTransfers = on;
        return this;
    }

    /**
     * Makes the operation of kind {@code operation} that follows {@code successes} successful ones
     * (counted from now, on any socket) fail with {@code error}. Once.
     *
     * @param operation the kind
     * @param successes how many succeed first
     * @param error what the failing one reports
     * @return this plan
     */
    public FaultPlan failAfter(Operation operation, int successes, IOException error) {
        failures.put(operation, new Failure(requireNotNegative(successes, "successes"), error));
        return this;
    }

    /**
     * Resets the connection of every read now waiting in the loop: each is withdrawn from the
     * backend and its reader woken with {@link #connectionReset()}.
     *
     * @return how many reads were reset
     * @throws IllegalStateException if no loop uses this plan yet
     */
    public int resetWaitingReads() {
        return transport().resetWaiting(Operation.READ);
    }

    /**
     * @return the operations pending in the loop: those the backend holds and those held back here
     * @throws IllegalStateException if no loop uses this plan yet
     */
    public int pendingOperations() {
        return transport().pendingOperations();
    }

    /**
     * @return how many faults were injected so far, of each kind: proof that a test that passed
     *     was tested under them
     */
    public String injected() {
        return "held back " + heldBack + ", polls interrupted " + interrupted + ", transfers cut to one byte " + shortened
                + ", failed " + failed;
    }

    /** @return how many faults were injected so far, all kinds together */
    public long injectedCount() {
        return heldBack + interrupted + shortened + failed;
    }

    void countHeldBack() {
        heldBack++;
    }

    void countInterrupted() {
        interrupted++;
    }

    void countShortened() {
        shortened++;
    }

    int wouldBlock() {
        return wouldBlock;
    }

    int interruptedPolls() {
        return interruptedPolls;
    }

    boolean oneByteTransfers() {
        return oneByteTransfers;
    }

    /** @return the failure due for this operation, if any; counts it otherwise */
    IOException failureFor(Operation operation) {
        Failure f = failures.get(operation);
        if (f == null) {
            return null;
        }
        if (f.successesLeft > 0) {
            f.successesLeft--;
            return null;
        }
        failures.remove(operation);
        failed++;
        return f.error;
    }

    void attach(FaultInjectingTransport t) {
        if (transport != null) {
            throw new IllegalStateException("a fault plan steers one loop; make one plan per hub");
        }
        transport = t;
    }

    private FaultInjectingTransport transport() {
        if (transport == null) {
            throw new IllegalStateException("no loop uses this fault plan yet: start a hub on its provider first");
        }
        return transport;
    }

    private static int requireNotNegative(int n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + n);
        }
        return n;
    }

    @Override
    public String toString() {
        return "FaultPlan[wouldBlock=" + wouldBlock + ", interruptedPolls=" + interruptedPolls
                + ", oneByteTransfers=" + oneByteTransfers + ", failures=" + failures.keySet() + "; " + injected() + "]";
    }

    private static final class Failure {
        int successesLeft;
        final IOException error;

        Failure(int successes, IOException error) {
            this.successesLeft = successes;
            this.error = error;
        }
    }
}
