package dev.gevent.tck.loop;

import java.nio.ByteBuffer;

/**
 * A stream socket written to until a write had to wait.
 *
 * @param writtenAtOnce the bytes that writes took before that, at once or in the poll right after
 * @param pending the completion of the write now pending
 * @param buffer the pending write's buffer
 */
record Filled(long writtenAtOnce, Recorder pending, ByteBuffer buffer) {
}
