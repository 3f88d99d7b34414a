package dev.gevent.subprocess;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A child's stdin, written cooperatively: each write (flushed) runs on a pipe thread while only the
 * calling greenlet waits, so a child that does not read yet blocks the writer, not the hub. A write
 * abandoned by a kill or a Timeout completes in the background before the next one starts.
 */
final class PipeOutputStream extends OutputStream {
    private final OutputStream pipe;
    private CompletableFuture<Void> pending;
    private boolean closed;

    PipeOutputStream(OutputStream pipe) {
        this.pipe = pipe;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stdin of the child is closed");
        }
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        run(() -> {
            pipe.write(copy);
            pipe.flush();
        });
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            run(pipe::close);
        }
    }

    private void run(PipeAction action) throws IOException {
        if (pending != null) {
            CompletableFuture<Void> previous = pending;
            pending = null;
            PipeIo.await(previous);
        }
        pending = PipeIo.submit(() -> {
            action.run();
            return null;
        });
        PipeIo.await(pending);
        pending = null;
    }

    @FunctionalInterface
    private interface PipeAction {
        void run() throws IOException;
    }
}
