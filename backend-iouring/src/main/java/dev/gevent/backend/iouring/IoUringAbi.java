package dev.gevent.backend.iouring;

/**
 * The io_uring(7) ABI of {@code <linux/io_uring.h>}, with its system call numbers and the mmap(2)
 * flags of its rings, on top of the generic constants in {@link dev.gevent.backend.linux.Linux}:
 * those of the generic kernel headers, which x86_64 and aarch64 share.
 */
final class IoUringAbi {
    private IoUringAbi() {
    }

    static final int PROT_READ_WRITE = 0x3;
    static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;

    static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;
    static final long SYS_IO_URING_REGISTER = 427;

    /** sizeof(struct io_uring_params). */
    static final int PARAMS_SIZE = 120;
    static final int PARAMS_SQ_ENTRIES = 0;
    static final int PARAMS_CQ_ENTRIES = 4;
    static final int PARAMS_FLAGS = 8;
    static final int PARAMS_FEATURES = 20;
    /** offsetof(struct io_uring_params, sq_off): head, tail, ring_mask, ring_entries, flags, dropped, array. */
    static final int PARAMS_SQ_OFF = 40;
    /** offsetof(struct io_uring_params, cq_off): head, tail, ring_mask, ring_entries, overflow, cqes, flags. */
    static final int PARAMS_CQ_OFF = 80;
    static final int OFF_HEAD = 0;
    static final int OFF_TAIL = 4;
    static final int OFF_RING_MASK = 8;
    static final int OFF_SQ_FLAGS = 16;
    static final int OFF_SQ_ARRAY = 24;
    static final int OFF_CQ_CQES = 20;

    static final int SETUP_CQSIZE = 1 << 3;
    static final int SETUP_SUBMIT_ALL = 1 << 7;
    static final int SETUP_COOP_TASKRUN = 1 << 8;
    static final int SETUP_TASKRUN_FLAG = 1 << 9;
    static final int SETUP_SINGLE_ISSUER = 1 << 12;
    static final int SETUP_DEFER_TASKRUN = 1 << 13;

    static final int FEAT_SINGLE_MMAP = 1;
    static final int FEAT_NODROP = 1 << 1;
    static final int FEAT_SUBMIT_STABLE = 1 << 2;
    static final int FEAT_FAST_POLL = 1 << 5;
    static final int FEAT_EXT_ARG = 1 << 8;

    static final long OFF_SQ_RING = 0;
    static final long OFF_CQ_RING = 0x8000000L;
    static final long OFF_SQES = 0x10000000L;

    static final int ENTER_GETEVENTS = 1;
    static final int ENTER_EXT_ARG = 1 << 3;

    static final int SQ_CQ_OVERFLOW = 1 << 1;
    static final int SQ_TASKRUN = 1 << 2;

    /** In a RECV's ioprio: arm the poll at once rather than try the receive first (5.19). */
    static final short RECVSEND_POLL_FIRST = 1;
    /** In a RECV's ioprio: keep receiving, one CQE per buffer, until the request ends (6.0). */
    static final short RECV_MULTISHOT = 2;
    /** In an ACCEPT's ioprio: keep accepting, one CQE per connection, until the request ends (5.19). */
    static final short ACCEPT_MULTISHOT = 1;
    /** IOSQE_BUFFER_SELECT: the kernel picks the buffer from the provided-buffer group in buf_group. */
    static final byte SQE_BUFFER_SELECT = 1 << 5;

    static final int SQE_SIZE = 64;
    static final int SQE_OPCODE = 0;
    static final int SQE_IOPRIO = 2;
    static final int SQE_FD = 4;
    static final int SQE_OFF = 8;
    static final int SQE_ADDR = 16;
    static final int SQE_LEN = 24;
    static final int SQE_OP_FLAGS = 28;
    static final int SQE_USER_DATA = 32;
    static final int SQE_FLAGS = 1;
    static final int SQE_BUF_GROUP = 40;
    static final int CQE_SIZE = 16;
    static final int CQE_USER_DATA = 0;
    static final int CQE_RES = 8;
    static final int CQE_FLAGS = 12;
    /** The CQE names the provided buffer it filled, in its upper 16 flag bits. */
    static final int CQE_F_BUFFER = 1;
    /** A multishot request goes on after this CQE. */
    static final int CQE_F_MORE = 1 << 1;
    static final int CQE_BUFFER_SHIFT = 16;

    static final byte OP_SENDMSG = 9;
    static final byte OP_RECVMSG = 10;
    static final byte OP_ACCEPT = 13;
    static final byte OP_ASYNC_CANCEL = 14;
    static final byte OP_CONNECT = 16;
    static final byte OP_READ = 22;
    static final byte OP_SEND = 26;
    static final byte OP_RECV = 27;

    static final int REGISTER_PROBE = 8;
    static final int REGISTER_PBUF_RING = 22;
    /** sizeof(struct io_uring_buf_reg): ring_addr, ring_entries, bgid, flags, resv[3]. */
    static final int BUF_REG_SIZE = 40;
    static final int BUF_REG_ENTRIES = 8;
    static final int BUF_REG_GROUP = 12;
    /** sizeof(struct io_uring_buf): addr, len, bid, resv; the ring's 16-bit tail overlays entry 0's resv. */
    static final int BUF_SIZE = 16;
    static final int BUF_LEN = 8;
    static final int BUF_BID = 12;
    static final int BUF_RING_TAIL = 14;
    /** sizeof(struct io_uring_probe) before its ops; each {@code io_uring_probe_op} is 8 bytes. */
    static final int PROBE_HEADER = 16;
    static final int PROBE_OP_SIZE = 8;
    static final int PROBE_OP_FLAGS = 2;
    static final int PROBE_OP_SUPPORTED = 1;

    /** sizeof(struct io_uring_getevents_arg): sigmask, sigmask_sz, pad, ts. */
    static final int GETEVENTS_ARG_SIZE = 24;
    static final int GETEVENTS_ARG_TS = 16;
}
