package dev.gevent.backend.iouring;

import dev.gevent.spi.Completion;
import java.io.IOException;

/** A completion that keeps what it was called with, for a test thread that polls the loop. */
final class RecordingCompletion implements Completion {
    boolean done;
    long result;
    Object value;
    IOException error;

    @Override
    public void complete(long result, Object value) {
        this.result = result;
        this.value = value;
        done = true;
    }

    @Override
    public void fail(IOException error) {
        this.error = error;
        done = true;
    }
}
