package dev.gevent.backend.epoll;

import dev.gevent.backend.linux.LinuxSockets;
import java.nio.ByteBuffer;

/**
 * The native memory one loop reuses for every call, so that no operation allocates: the
 * {@code sockaddr_storage} with its length and the option value of the loop's {@link LinuxSockets},
 * and a bounce buffer through which heap buffers are read and written. Hub thread only; direct
 * buffers are freed with the loop.
 */
final class Scratch {
    /** Large enough for any UDP payload, so a datagram never has to be split. */
    static final int BOUNCE_SIZE = 64 * 1024;
    private static final int MSGHDR_SIZE = 56;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;

    /** The loop's {@link LinuxSockets#address}, shared with its synchronous calls. */
    final ByteBuffer address;
    final long addressPointer;
    /** A {@code socklen_t}, in and out of the calls that fill {@link #address} or {@link #option}. */
    final ByteBuffer length;
    final long lengthPointer;
    /** An option value: an int, a {@code struct linger} or a {@code struct ip_mreqn}. */
    final ByteBuffer option;
    final long optionPointer;
    final ByteBuffer bounce = Native.allocate(BOUNCE_SIZE);
    final long bouncePointer = Native.address(bounce);
    /**
     * A {@code struct msghdr} (56 bytes on LP64) followed by the one {@code struct iovec} it
     * points to, for sendmsg and recvmsg; its name is always {@link #address}.
     */
    final ByteBuffer message = Native.allocate(MSGHDR_SIZE + 16);
    final long messagePointer = Native.address(message);
    /** One {@code struct epoll_event}, for epoll_ctl. */
    final ByteBuffer event = Native.allocate(EpollAbi.EPOLL_EVENT_SIZE);
    final long eventPointer = Native.address(event);

    Scratch(LinuxSockets sockets) {
        address = sockets.address;
        addressPointer = sockets.addressPointer;
        length = sockets.length;
        lengthPointer = sockets.lengthPointer;
        option = sockets.option;
        optionPointer = sockets.optionPointer;
    }

    /**
     * Fills {@link #message} for one datagram of {@code length} bytes at {@code buffer}, with
     * {@link #address} as its peer address of {@code addressLength} bytes.
     *
     * @return the address of the {@code struct msghdr}
     */
    long message(long buffer, int length, int addressLength) {
        for (int i = 0; i < MSGHDR_SIZE; i += Long.BYTES) {
            message.putLong(i, 0);
        }
        message.putLong(0, addressPointer);
        message.putInt(MSG_NAMELEN, addressLength);
        message.putLong(MSG_IOV, messagePointer + MSGHDR_SIZE);
        message.putLong(MSG_IOVLEN, 1);
        message.putLong(MSGHDR_SIZE, buffer);
        message.putLong(MSGHDR_SIZE + Long.BYTES, length);
        return messagePointer;
    }

    /** @return the peer address length recvmsg left in {@link #message} */
    int messageAddressLength() {
        return message.getInt(MSG_NAMELEN);
    }
}
