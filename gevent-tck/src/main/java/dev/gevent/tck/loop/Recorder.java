package dev.gevent.tck.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gevent.spi.Completion;
import java.io.IOException;

/**
 * A completion that remembers how it was called, how often, and on which thread, so that tests can
 * hold the loop to "exactly once, on the polling thread".
 */
final class Recorder implements Completion {
    private final Thread hub;
    private int calls;
    private long result;
    private Object value;
    private IOException error;
    private Thread stranger;

    Recorder(Thread hub) {
        this.hub = hub;
    }

    @Override
    public void complete(long result, Object value) {
        count();
        this.result = result;
        this.value = value;
    }

    @Override
    public void fail(IOException error) {
        count();
        this.error = error;
    }

    private void count() {
        calls++;
        if (Thread.currentThread() != hub) {
            stranger = Thread.currentThread();
        }
    }

    boolean called() {
        return calls > 0;
    }

    boolean failed() {
        return error != null;
    }

    int calls() {
        return calls;
    }

    /** @return the result of the one successful call */
    long result() {
        assertCalledOnce();
        if (error != null) {
            throw new AssertionError("the operation failed instead of completing", error);
        }
        return result;
    }

    /** @return the value of the one successful call */
    Object value() {
        result();
        return value;
    }

    /** @return the error of the one failed call */
    IOException error() {
        assertCalledOnce();
        assertNotNull(error, () -> "the operation completed with " + result + " instead of failing");
        return error;
    }

    void assertCalledOnce() {
        assertEquals(1, calls, "calls of the completion");
        assertNull(stranger, () -> "the completion ran on " + stranger + ", not on the polling thread " + hub);
    }

    void assertNotCalled() {
        if (calls != 0) {
            throw new AssertionError("the completion was called " + calls + " time(s) but must not be"
                    + (error != null ? " (failed with " + error + ")" : " (completed with " + result + ")"));
        }
    }
}
