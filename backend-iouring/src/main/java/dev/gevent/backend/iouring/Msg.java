package dev.gevent.backend.iouring;

import dev.gevent.backend.linux.Linux;
import java.nio.ByteBuffer;

/**
 * The layout of a slot's message area: a {@code struct msghdr} (56 bytes on LP64), the one
 * {@code struct iovec} it points to, and the {@code sockaddr_storage} it names, for SENDMSG,
 * RECVMSG and CONNECT, whose memory the kernel may read until the operation completes.
 */
final class Msg {
    private Msg() {
    }

    private static final int MSGHDR_SIZE = 56;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int IOVEC = MSGHDR_SIZE;
    /** Where the address starts in the area. */
    static final int ADDRESS = IOVEC + 16;
    static final int SIZE = ADDRESS + Linux.SOCKADDR_STORAGE;

    /**
     * Fills the header for one datagram of {@code length} bytes at {@code buffer}, naming the
     * area's address of {@code addressLength} bytes.
     */
    static void fill(ByteBuffer area, long areaPointer, long buffer, int length, int addressLength) {
        for (int i = 0; i < MSGHDR_SIZE; i += Long.BYTES) {
            area.putLong(i, 0);
        }
        area.putLong(0, areaPointer + ADDRESS);
        area.putInt(MSG_NAMELEN, addressLength);
        area.putLong(MSG_IOV, areaPointer + IOVEC);
        area.putLong(MSG_IOVLEN, 1);
        area.putLong(IOVEC, buffer);
        area.putLong(IOVEC + Long.BYTES, length);
    }

    /** @return the address length recvmsg left in the header */
    static int addressLength(ByteBuffer area) {
        return area.getInt(MSG_NAMELEN);
    }

    /** @return a view of the area's address, for {@link SockAddr} */
    static ByteBuffer address(ByteBuffer area) {
        return area.slice(ADDRESS, Linux.SOCKADDR_STORAGE).order(area.order());
    }
}
