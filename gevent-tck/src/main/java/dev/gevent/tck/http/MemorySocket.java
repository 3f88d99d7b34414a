package dev.gevent.tck.http;

import dev.gevent.socket.StreamSocket;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/**
 * A stream socket in memory: reads deliver a fixed input in the pieces given (then the end of the
 * stream), writes are collected. Never blocks, so a server connection on it runs to its end in the
 * calling greenlet.
 */
final class MemorySocket implements StreamSocket {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 1);

    private final byte[] input;
    private final int[] pieceEnds;
    private int piece;
    private int position;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private boolean open = true;
    private boolean outputShut;

    /**
     * @param input what the reads deliver
     * @param pieceEnds ascending offsets at which a read stops (the last is input.length)
     */
    MemorySocket(byte[] input, int[] pieceEnds) {
        this.input = input;
        this.pieceEnds = pieceEnds;
    }

    byte[] written() {
        return output.toByteArray();
    }

    @Override
    public int read(ByteBuffer dst) throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
        while (piece < pieceEnds.length && pieceEnds[piece] <= position) {
            piece++;
        }
        if (position >= input.length) {
            return -1;
        }
        int end = piece < pieceEnds.length ? pieceEnds[piece] : input.length;
        int n = Math.min(dst.remaining(), end - position);
        dst.put(input, position, n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws ClosedChannelException {
        if (!open || outputShut) {
            throw new ClosedChannelException();
        }
        int n = src.remaining();
        byte[] bytes = new byte[n];
        src.get(bytes);
        output.writeBytes(bytes);
        return n;
    }

    @Override
    public void writeFully(ByteBuffer src) throws ClosedChannelException {
        write(src);
    }

    @Override
    public InputStream inputStream() {
        throw new UnsupportedOperationException();
    }

    @Override
    public OutputStream outputStream() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setTimeout(Duration timeout) {
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    @Override
    public SocketAddress localAddress() {
        return ADDRESS;
    }

    @Override
    public SocketAddress remoteAddress() {
        return ADDRESS;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
