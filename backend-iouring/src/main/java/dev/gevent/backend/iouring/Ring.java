package dev.gevent.backend.iouring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.gevent.backend.linux.Linux;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance: its submission and completion rings and its SQE array, mmapped and read
 * as {@link MemorySegment}s. The hub thread is the only one that touches it.
 *
 * <p><b>Memory ordering.</b> The kernel reads the SQ tail and writes the SQ head; it writes the CQ
 * tail and reads the CQ head. So the SQ tail is published with a release store after the SQEs are
 * written, the CQ tail is read with an acquire load before the CQEs are read, and the CQ head is
 * published with a release store after they are read ({@link VarHandle#setRelease},
 * {@link VarHandle#getAcquire}).
 *
 * <p><b>Completions.</b> CQEs are copied out of the ring into a backlog on the Java heap as soon as
 * they are seen, and the loop dispatches from the backlog. This lets {@link #await} look for one
 * operation's CQE (a cancelled one's) while leaving every other for the loop, and it means the
 * kernel's ring is emptied at every look, so a ring sized well below the number of operations in
 * flight only ever costs an overflow flush: the instance is created only where the kernel has
 * {@code IORING_FEAT_NODROP} (completions that do not fit are kept, never dropped), and a set
 * {@code IORING_SQ_CQ_OVERFLOW} flag makes {@link #drain} ask the kernel for them.
 */
final class Ring {
    /** user_data of CQEs nobody waits for (cancel requests, entries {@link #await} took). */
    static final long IGNORED = 0;

    private static final VarHandle INT = JAVA_INT.varHandle();
    /**
     * The setups tried, best first. Completing a socket operation takes "task work" in the thread
     * that owns the ring: by default the kernel interrupts that thread for it as each operation
     * completes (an inter-processor interrupt when the thread is running elsewhere), COOP_TASKRUN
     * runs it at the thread's next entry into the kernel instead, and DEFER_TASKRUN (which needs
     * SINGLE_ISSUER, 6.1) only when the thread asks for completions, in the loop's one
     * io_uring_enter, all of them at once. The hub thread is the only one that enters the ring,
     * which is what SINGLE_ISSUER promises. TASKRUN_FLAG has the kernel say in the SQ flags that
     * completions wait for such an entry, so a look that would not wait enters only then. SUBMIT_ALL came with 5.18: without it, an SQE that
     * fails at once stops the batch, and the rest are submitted at the next enter, which the loop
     * does anyway.
     */
    static final int[] SETUPS = {
        IoUringAbi.SETUP_CQSIZE | IoUringAbi.SETUP_SUBMIT_ALL | IoUringAbi.SETUP_SINGLE_ISSUER
                | IoUringAbi.SETUP_DEFER_TASKRUN | IoUringAbi.SETUP_TASKRUN_FLAG,
        IoUringAbi.SETUP_CQSIZE | IoUringAbi.SETUP_SUBMIT_ALL | IoUringAbi.SETUP_COOP_TASKRUN
                | IoUringAbi.SETUP_TASKRUN_FLAG,
        IoUringAbi.SETUP_CQSIZE | IoUringAbi.SETUP_SUBMIT_ALL,
        IoUringAbi.SETUP_CQSIZE,
    };

    final int fd;
    final int features;
    /** The IORING_SETUP_ flags the instance was set up with. */
    final int setupFlags;
    private final LibC libc;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqRingSize;
    private final long cqRingSize;
    private final long sqHead;
    private final long sqTail;
    private final long sqFlags;
    private final long cqHead;
    private final long cqTail;
    private final long cqes;
    private final int sqMask;
    private final int sqEntries;
    private final int cqMask;
    /** The SQ tail as this side has filled it; published to the kernel at each enter. */
    private int tail;
    private int head;
    /** io_uring_getevents_arg followed by a __kernel_timespec, for waits with a timeout. */
    private final MemorySegment waitArgument;

    private long[] backlogData;
    private int[] backlogResult;
    private int[] backlogFlags;
    private int backlogHead;
    private int backlogTail;
    /** The result and flags of the completion {@link #take()} or {@link #await} returned last. */
    private int taken;
    private int takenFlags;

    /**
     * Sets an instance up.
     *
     * @param entries SQ entries (a power of two)
     * @param cqEntries CQ entries (a power of two, at least {@code entries})
     * @param arena where its small native structures live, at least as long as the ring
     * @throws RingSetupException with io_uring_setup's or mmap's errno
     */
    Ring(LibC libc, Arena arena, int entries, int cqEntries) throws RingSetupException {
        this(libc, arena, entries, cqEntries, SETUPS);
    }

    /**
     * Sets an instance up with the first of {@code setups} the kernel accepts.
     *
     * @param setups IORING_SETUP_ flag sets, best first
     */
    Ring(LibC libc, Arena arena, int entries, int cqEntries, int... setups) throws RingSetupException {
        this.libc = libc;
        MemorySegment params = arena.allocate(IoUringAbi.PARAMS_SIZE, 8);
        int ringFd = -1;
        int flags = 0;
        for (int i = 0; i < setups.length && ringFd < 0; i++) {
            flags = setups[i];
            ringFd = setup(libc, params, entries, cqEntries, flags);
            if (ringFd < 0 && libc.errno() != Linux.EINVAL) {
                break;
            }
        }
        if (ringFd < 0) {
            throw new RingSetupException("io_uring_setup", libc.errno());
        }
        fd = ringFd;
        setupFlags = flags;
        features = params.get(JAVA_INT, IoUringAbi.PARAMS_FEATURES);
        sqEntries = params.get(JAVA_INT, IoUringAbi.PARAMS_SQ_ENTRIES);
        int cqSize = params.get(JAVA_INT, IoUringAbi.PARAMS_CQ_ENTRIES);
        long sq = IoUringAbi.PARAMS_SQ_OFF;
        long cq = IoUringAbi.PARAMS_CQ_OFF;
        long sqArray = Integer.toUnsignedLong(params.get(JAVA_INT, sq + IoUringAbi.OFF_SQ_ARRAY));
        long cqesOffset = Integer.toUnsignedLong(params.get(JAVA_INT, cq + IoUringAbi.OFF_CQ_CQES));
        long sqSize = sqArray + (long) sqEntries * Integer.BYTES;
        long cqBytes = cqesOffset + (long) cqSize * IoUringAbi.CQE_SIZE;
        boolean single = (features & IoUringAbi.FEAT_SINGLE_MMAP) != 0;
        if (single) {
            sqSize = Math.max(sqSize, cqBytes);
            cqBytes = sqSize;
        }
        MemorySegment sqMapped = null;
        MemorySegment cqMapped = null;
        MemorySegment sqesMapped = null;
        try {
            sqMapped = map(libc, ringFd, sqSize, IoUringAbi.OFF_SQ_RING);
            cqMapped = single ? sqMapped : map(libc, ringFd, cqBytes, IoUringAbi.OFF_CQ_RING);
            sqesMapped = map(libc, ringFd, (long) sqEntries * IoUringAbi.SQE_SIZE, IoUringAbi.OFF_SQES);
        } catch (RingSetupException e) {
            unmap(libc, sqMapped, sqSize);
            if (!single) {
                unmap(libc, cqMapped, cqBytes);
            }
            libc.close(ringFd);
            throw e;
        }
        sqRing = sqMapped;
        cqRing = cqMapped;
        sqes = sqesMapped;
        sqRingSize = sqSize;
        cqRingSize = single ? 0 : cqBytes;
        sqHead = offset(params, sq + IoUringAbi.OFF_HEAD);
        sqTail = offset(params, sq + IoUringAbi.OFF_TAIL);
        sqFlags = offset(params, sq + IoUringAbi.OFF_SQ_FLAGS);
        sqMask = sqRing.get(JAVA_INT, offset(params, sq + IoUringAbi.OFF_RING_MASK));
        cqHead = offset(params, cq + IoUringAbi.OFF_HEAD);
        cqTail = offset(params, cq + IoUringAbi.OFF_TAIL);
        cqMask = cqRing.get(JAVA_INT, offset(params, cq + IoUringAbi.OFF_RING_MASK));
        cqes = cqesOffset;
        // SQE i always sits in slot i of the SQ array: the array is filled once, never again.
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(JAVA_INT, sqArray + (long) i * Integer.BYTES, i);
        }
        tail = (int) INT.getAcquire(sqRing, sqTail);
        head = (int) INT.getAcquire(cqRing, cqHead);
        waitArgument = arena.allocate(IoUringAbi.GETEVENTS_ARG_SIZE + 16, 8);
        backlogData = new long[cqSize];
        backlogResult = new int[cqSize];
        backlogFlags = new int[cqSize];
    }

    private static int setup(LibC libc, MemorySegment params, int entries, int cqEntries, int flags) {
        params.fill((byte) 0);
        params.set(JAVA_INT, IoUringAbi.PARAMS_CQ_ENTRIES, cqEntries);
        params.set(JAVA_INT, IoUringAbi.PARAMS_FLAGS, flags);
        return libc.ioUringSetup(entries, params.address());
    }

    private static long offset(MemorySegment params, long at) {
        return Integer.toUnsignedLong(params.get(JAVA_INT, at));
    }

    private static MemorySegment map(LibC libc, int ringFd, long size, long offset) throws RingSetupException {
        long address = libc.mmap(size, IoUringAbi.PROT_READ_WRITE, IoUringAbi.MAP_SHARED_POPULATE, ringFd, offset);
        if (address == -1) {
            throw new RingSetupException("mmap of the io_uring rings", libc.errno());
        }
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    private static void unmap(LibC libc, MemorySegment mapped, long size) {
        if (mapped != null) {
            libc.munmap(mapped.address(), size);
        }
    }

    /**
     * Takes the next SQE, zeroed, submitting what is queued first if the SQ is full.
     *
     * @return its offset in the SQE array, for the {@code put} methods
     */
    long next() {
        if (tail - (int) INT.getAcquire(sqRing, sqHead) == sqEntries) {
            submit();
        }
        long at = (long) (tail & sqMask) * IoUringAbi.SQE_SIZE;
        tail++;
        for (int i = 0; i < IoUringAbi.SQE_SIZE; i += Long.BYTES) {
            sqes.set(JAVA_LONG, at + i, 0L);
        }
        return at;
    }

    /** @return the running number of the SQE {@link #next()} returned last, for {@link #unsubmitted} */
    int lastTicket() {
        return tail - 1;
    }

    /** @return whether the SQE numbered {@code ticket} is still in the SQ, not yet taken by the kernel */
    boolean unsubmitted(int ticket) {
        return ticket - (int) INT.getAcquire(sqRing, sqHead) >= 0;
    }

    /** Changes the length of an SQE not yet submitted. */
    void length(long at, int length) {
        sqes.set(JAVA_INT, at + IoUringAbi.SQE_LEN, length);
    }

    /** Fills the common fields of the SQE at {@code at}. */
    void prepare(long at, byte opcode, int fd, long address, int length, long offset, int opFlags, long userData) {
        sqes.set(JAVA_BYTE, at + IoUringAbi.SQE_OPCODE, opcode);
        sqes.set(JAVA_INT, at + IoUringAbi.SQE_FD, fd);
        sqes.set(JAVA_LONG, at + IoUringAbi.SQE_OFF, offset);
        sqes.set(JAVA_LONG, at + IoUringAbi.SQE_ADDR, address);
        sqes.set(JAVA_INT, at + IoUringAbi.SQE_LEN, length);
        sqes.set(JAVA_INT, at + IoUringAbi.SQE_OP_FLAGS, opFlags);
        sqes.set(JAVA_LONG, at + IoUringAbi.SQE_USER_DATA, userData);
    }

    /**
     * Asks the kernel to wait for the receive at {@code at} to be possible before trying it, where
     * the kernel knows the flag: every kernel that sets up a DEFER_TASKRUN ring (6.1) does.
     */
    void pollFirst(long at) {
        if ((setupFlags & IoUringAbi.SETUP_DEFER_TASKRUN) != 0) {
            sqes.set(JAVA_SHORT, at + IoUringAbi.SQE_IOPRIO, IoUringAbi.RECVSEND_POLL_FIRST);
        }
    }

    /**
     * Makes the RECV at {@code at} a multishot one that receives into buffers the kernel picks from
     * the provided-buffer {@code group}: it names each buffer in its CQE's flags.
     */
    void receiveMultishot(long at, short group) {
        sqes.set(JAVA_SHORT, at + IoUringAbi.SQE_IOPRIO, IoUringAbi.RECV_MULTISHOT);
        sqes.set(JAVA_BYTE, at + IoUringAbi.SQE_FLAGS, IoUringAbi.SQE_BUFFER_SELECT);
        sqes.set(JAVA_SHORT, at + IoUringAbi.SQE_BUF_GROUP, group);
    }

    /** Makes the ACCEPT at {@code at} a multishot one: a CQE per connection, until the request ends. */
    void acceptMultishot(long at) {
        sqes.set(JAVA_SHORT, at + IoUringAbi.SQE_IOPRIO, IoUringAbi.ACCEPT_MULTISHOT);
    }

    /** @return SQEs queued and not yet taken by the kernel */
    int queued() {
        return tail - (int) INT.getAcquire(sqRing, sqHead);
    }

    /**
     * Submits what is queued and posts the completions the kernel has ready, without waiting for
     * any. GETEVENTS with no minimum is what makes a DEFER_TASKRUN ring run its deferred
     * completions; on other rings it costs nothing.
     */
    void submit() {
        if (queued() == 0 && ((int) INT.getVolatile(sqRing, sqFlags) & IoUringAbi.SQ_TASKRUN) == 0) {
            return;
        }
        do {
            enter(0, IoUringAbi.ENTER_GETEVENTS, 0, 0);
        } while (queued() > 0);
    }

    /**
     * Submits what is queued and waits until a completion is in the backlog, {@code timeoutNanos}
     * passed (0: no wait, {@link dev.gevent.spi.EventLoop#FOREVER}: no limit) or a signal came,
     * in one io_uring_enter. Completions already there make it only submit.
     */
    void submitAndWait(long timeoutNanos) {
        drain();
        if (timeoutNanos == 0 || backlogHead != backlogTail) {
            submit();
            drain();
            return;
        }
        long argument = waitArgument.address();
        waitArgument.set(JAVA_LONG, 0, 0L);
        waitArgument.set(JAVA_LONG, 8, 0L);
        if (timeoutNanos > 0) {
            long timespec = argument + IoUringAbi.GETEVENTS_ARG_SIZE;
            waitArgument.set(JAVA_LONG, IoUringAbi.GETEVENTS_ARG_SIZE, timeoutNanos / 1_000_000_000L);
            waitArgument.set(JAVA_LONG, IoUringAbi.GETEVENTS_ARG_SIZE + 8, timeoutNanos % 1_000_000_000L);
            waitArgument.set(JAVA_LONG, IoUringAbi.GETEVENTS_ARG_TS, timespec);
        } else {
            waitArgument.set(JAVA_LONG, IoUringAbi.GETEVENTS_ARG_TS, 0L);
        }
        enter(1, IoUringAbi.ENTER_GETEVENTS | IoUringAbi.ENTER_EXT_ARG, argument, IoUringAbi.GETEVENTS_ARG_SIZE);
        drain();
    }

    /**
     * One io_uring_enter: publishes the SQ tail, submits what is queued. EINTR and ETIME end a
     * wait normally; EBUSY and EAGAIN (completions that the kernel cannot hold until some are
     * reaped, or no memory for a request at this moment) are answered by draining and retrying.
     */
    private void enter(int minComplete, int flags, long argument, long argumentSize) {
        for (;;) {
            INT.setRelease(sqRing, sqTail, tail);
            int toSubmit = queued();
            int rc = libc.ioUringEnter(fd, toSubmit, minComplete, flags, argument, argumentSize);
            if (rc >= 0) {
                return;
            }
            int errno = libc.errno();
            switch (errno) {
                case Linux.EINTR, Linux.ETIME -> {
                    return;
                }
                case Linux.EBUSY, Linux.EAGAIN -> {
                    drain();
                    if (minComplete > 0 && backlogHead != backlogTail) {
                        return;
                    }
                    Thread.onSpinWait();
                }
                default -> throw new IllegalStateException("io_uring_enter failed: " + LibC.strerror(errno)
                        + " (errno " + errno + ")");
            }
        }
    }

    /**
     * Moves every CQE from the kernel's ring into the backlog, and those the kernel kept aside
     * when the ring was full, until both are empty.
     */
    void drain() {
        for (;;) {
            int kernelTail = (int) INT.getAcquire(cqRing, cqTail);
            while (head != kernelTail) {
                long at = cqes + (long) (head & cqMask) * IoUringAbi.CQE_SIZE;
                append(cqRing.get(JAVA_LONG, at + IoUringAbi.CQE_USER_DATA), cqRing.get(JAVA_INT, at + IoUringAbi.CQE_RES),
                        cqRing.get(JAVA_INT, at + IoUringAbi.CQE_FLAGS));
                head++;
            }
            INT.setRelease(cqRing, cqHead, head);
            if (((int) INT.getVolatile(sqRing, sqFlags) & IoUringAbi.SQ_CQ_OVERFLOW) == 0) {
                return;
            }
            INT.setRelease(sqRing, sqTail, tail);
            libc.ioUringEnter(fd, 0, 0, IoUringAbi.ENTER_GETEVENTS, 0, 0);
        }
    }

    private void append(long userData, int result, int flags) {
        if (backlogTail - backlogHead == backlogData.length) {
            grow();
        }
        int at = backlogTail & (backlogData.length - 1);
        backlogData[at] = userData;
        backlogResult[at] = result;
        backlogFlags[at] = flags;
        backlogTail++;
    }

    /** Doubles the backlog; entries keep their running index, so a scan in {@link #await} goes on. */
    private void grow() {
        int oldMask = backlogData.length - 1;
        int newMask = backlogData.length * 2 - 1;
        long[] data = new long[newMask + 1];
        int[] result = new int[newMask + 1];
        int[] flags = new int[newMask + 1];
        for (int i = backlogHead; i != backlogTail; i++) {
            data[i & newMask] = backlogData[i & oldMask];
            result[i & newMask] = backlogResult[i & oldMask];
            flags[i & newMask] = backlogFlags[i & oldMask];
        }
        backlogData = data;
        backlogResult = result;
        backlogFlags = flags;
    }

    /** @return whether the backlog holds a completion for {@link #take} */
    boolean hasCompletion() {
        return backlogHead != backlogTail;
    }

    /** @return the user_data of the backlog's first completion; {@link #result()} then gives its result */
    long take() {
        int at = backlogHead & (backlogData.length - 1);
        backlogHead++;
        taken = backlogResult[at];
        takenFlags = backlogFlags[at];
        return backlogData[at];
    }

    /** @return the result of the completion {@link #take()} or {@link #await} returned last */
    int result() {
        return taken;
    }

    /** @return the CQE flags of the completion {@link #take()} or {@link #await} returned last */
    int flags() {
        return takenFlags;
    }

    /**
     * Submits what is queued and waits for the completion of the operation {@code userData},
     * leaving every other completion in the backlog for the loop. For cancellation: the kernel
     * owns an operation's memory until its CQE, and the CQE says whether it completed after all.
     * A multishot operation posts several: this returns the first, and {@link #flags()} says
     * whether more follow.
     *
     * @return the operation's result
     */
    int await(long userData) {
        int scanned = backlogHead;
        for (;;) {
            for (; scanned != backlogTail; scanned++) {
                int at = scanned & (backlogData.length - 1);
                if (backlogData[at] == userData) {
                    backlogData[at] = IGNORED;
                    taken = backlogResult[at];
                    takenFlags = backlogFlags[at];
                    return taken;
                }
            }
            submit();
            drain();
            if (scanned == backlogTail) {
                enter(1, IoUringAbi.ENTER_GETEVENTS, 0, 0);
                drain();
            }
        }
    }

    /** Unmaps the rings and closes the instance; the kernel cancels whatever was still in flight. */
    void close() {
        libc.munmap(sqes.address(), sqes.byteSize());
        if (cqRingSize != 0) {
            libc.munmap(cqRing.address(), cqRingSize);
        }
        libc.munmap(sqRing.address(), sqRingSize);
        libc.close(fd);
    }

    /** io_uring_setup or mmap failed. */
    static final class RingSetupException extends IOException {
        private static final long serialVersionUID = 1L;
        final int errno;

        RingSetupException(String call, int errno) {
            super(call + " failed: " + LibC.strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }
    }
}
