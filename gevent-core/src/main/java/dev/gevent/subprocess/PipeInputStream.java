package dev.gevent.subprocess;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A child's stdout or stderr, read cooperatively: each read runs on a pipe thread while only the
 * calling greenlet waits. A read abandoned by a kill or a Timeout goes on in the background and its
 * bytes are kept for the next read: nothing is lost. One greenlet at a time.
 */
final class PipeInputStream extends InputStream {
    private static final int CHUNK = 8192;
    private final InputStream pipe;
    private CompletableFuture<byte[]> pending;
    private byte[] chunk;
    private int pos;
    private boolean eof;

    PipeInputStream(InputStream pipe) {
        this.pipe = pipe;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (chunk == null || pos == chunk.length) {
            if (eof) {
                return -1;
            }
            if (pending == null) {
                pending = PipeIo.submit(() -> {
                    byte[] buf = new byte[CHUNK];
                    int n = pipe.read(buf);
                    return n < 0 ? null : Arrays.copyOf(buf, n);
                });
            }
            byte[] got = PipeIo.await(pending);
            pending = null;
            if (got == null) {
                eof = true;
                return -1;
            }
            chunk = got;
            pos = 0;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return chunk == null ? 0 : chunk.length - pos;
    }

    /**
     * Closes the pipe on a pipe thread, because a read in progress holds the pipe's lock until it
     * returns: with a live child that writes nothing, this waits for the child to write or exit.
     */
    @Override
    public void close() throws IOException {
        eof = true;
        PipeIo.await(PipeIo.submit(() -> {
            pipe.close();
            return null;
        }));
    }
}
