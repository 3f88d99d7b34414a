package dev.gevent.tck.loop;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.spi.Completion;
import dev.gevent.spi.EventLoop;
import dev.gevent.spi.SocketHandle;
import dev.gevent.spi.Transport;
import dev.gevent.tck.TckConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EventLoop}: how {@code poll} waits, how {@code wakeup} releases it from any thread, the
 * count of pending operations, and what {@code close} does to what is still open.
 */
public class EventLoopTck extends LoopTck {
    @Test
    @Timeout(value = 5, unit = SECONDS)
    void pollZeroReturnsAtOnce() throws IOException {
        for (int i = 0; i < 1_000; i++) {
            h.loop.poll(0);
        }
        Recorder accept = h.recorder();
        assertNull(h.transport.accept(h.listen(), accept), "nobody connected, so the accept is pending");
        for (int i = 0; i < 1_000; i++) {
            h.loop.poll(0);
        }
        accept.assertNotCalled();
        assertEquals(1, h.loop.pendingOperations());
    }

    @Test
    void pollWaitsForItsTimeout() {
        long timeout = MILLISECONDS.toNanos(50);
        long start = System.nanoTime();
        h.loop.poll(timeout);
        long waited = System.nanoTime() - start;
        assertTrue(waited >= timeout, () -> "poll(50 ms) returned after " + waited + " ns");
    }

    @Test
    void subMillisecondTimeoutWaitsRatherThanSpinning() {
        long timeout = 300_000;
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            h.loop.poll(timeout);
            long waited = System.nanoTime() - start;
            assertTrue(waited >= timeout, () -> "poll(0.3 ms) returned after " + waited + " ns");
        }
    }

    @Test
    @Timeout(value = 5, unit = SECONDS)
    void oneNanosecondTimeoutIsNotForever() {
        h.loop.poll(1);
        h.loop.poll(999_999);
    }

    @Test
    @Timeout(value = 10, unit = SECONDS)
    void wakeupBeforePollIsNotLost() throws InterruptedException {
        h.loop.wakeup();
        h.loop.poll(EventLoop.FOREVER);
        Background<Void> waker = Background.start("waker", () -> {
            h.loop.wakeup();
            return null;
        });
        waker.join();
        h.loop.poll(EventLoop.FOREVER);
    }

    @Test
    @Timeout(value = 20, unit = SECONDS)
    void wakeupFromAnotherThreadReleasesPollForever() throws InterruptedException {
        int rounds = 500;
        Semaphore polling = new Semaphore(0);
        // The wakeup lands just before or during each poll: either way the poll must return.
        Background<Void> waker = Background.start("waker", () -> {
            for (int i = 0; i < rounds; i++) {
                polling.acquire();
                h.loop.wakeup();
            }
            return null;
        });
        for (int i = 0; i < rounds; i++) {
            Harness.requireTimeLeft();
            polling.release();
            h.loop.poll(EventLoop.FOREVER);
        }
        waker.join();
    }

    @Test
    @Timeout(value = 10, unit = SECONDS)
    void repeatedWakeupsReleaseOnePoll() throws InterruptedException {
        int threads = 4;
        Background<?>[] wakers = new Background<?>[threads];
        for (int t = 0; t < threads; t++) {
            wakers[t] = Background.start("waker-" + t, () -> {
                for (int i = 0; i < 100_000; i++) {
                    h.loop.wakeup();
                }
                return null;
            });
        }
        for (Background<?> waker : wakers) {
            waker.join();
        }
        h.loop.poll(EventLoop.FOREVER);
        long timeout = MILLISECONDS.toNanos(20);
        long start = System.nanoTime();
        h.loop.poll(timeout);
        long waited = System.nanoTime() - start;
        assertTrue(waited >= timeout, () -> "wakeups must not pile up: poll(20 ms) returned after " + waited + " ns");
    }

    @Test
    void pendingOperationsCountsWhatIsStartedAndNotFinished() throws IOException {
        assertEquals(0, h.loop.pendingOperations());
        SocketHandle listener = h.listen();
        Recorder accept = h.recorder();
        assertNull(h.transport.accept(listener, accept));
        assertEquals(1, h.loop.pendingOperations());
        LocalPair pair = h.pair();
        Recorder read = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(pair.server(), ByteBuffer.allocate(8), read));
        assertEquals(2, h.loop.pendingOperations());
        assertTrue(h.transport.cancel(listener, accept));
        assertEquals(1, h.loop.pendingOperations());
        h.writeFully(pair.client(), "x");
        h.await(read);
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void loopWithNothingPendingWaitsAlthoughItsSocketsAreReady() throws Exception {
        PeerPair p = h.peerPair();
        Filled filled = h.fillUntilPending(p.socket());
        Background<Long> drain = Background.start("drain",
                () -> p.peer().getInputStream().transferTo(OutputStream.nullOutputStream()));
        h.await(filled.pending());
        Recorder read = h.recorder();
        assertEquals(Transport.PENDING, h.transport.read(p.socket(), ByteBuffer.allocate(4), read));
        p.peer().getOutputStream().write(new byte[8]);
        h.await(read);

        // The socket is writable and has 4 bytes unread, but no operation waits for either.
        long timeout = MILLISECONDS.toNanos(30);
        long start = System.nanoTime();
        h.loop.poll(timeout);
        long waited = System.nanoTime() - start;
        assertTrue(waited >= timeout, () -> "poll(30 ms) with nothing pending returned after " + waited + " ns");
        h.transport.shutdown(p.socket(), false, true);
        h.join(drain);
    }

    @Test
    void completionThatThrowsLeavesTheLoopUsable() throws IOException {
        LocalPair pair = h.pair();
        int[] calls = {0};
        Completion throwing = new Completion() {
            @Override
            public void complete(long result, Object value) {
                calls[0]++;
                throw new IllegalStateException("thrown by a completion on purpose");
            }

            @Override
            public void fail(IOException error) {
                calls[0]++;
                throw new IllegalStateException("thrown by a completion on purpose", error);
            }
        };
        assertEquals(Transport.PENDING, h.transport.read(pair.server(), ByteBuffer.allocate(8), throwing));
        // Written without the harness's helpers, which would pass the completion's exception on:
        // a completion loop may complete the write and the read in the same poll.
        Recorder write = h.recorder();
        long written = h.transport.write(pair.client(), ByteBuffer.wrap(new byte[] {'a'}), write);
        while (calls[0] == 0 || written == Transport.PENDING && !write.called()) {
            Harness.requireTimeLeft();
            try {
                h.loop.poll(EventLoop.FOREVER);
            } catch (IllegalStateException expected) {
                // A loop may pass a completion's exception on from poll; it must stay usable either way.
            }
        }
        h.loop.poll(0);
        assertEquals(1, calls[0], "calls of the throwing completion");
        assertEquals(0, h.loop.pendingOperations());
        h.writeFully(pair.client(), "b");
        assertEquals("b", h.readExactly(pair.server(), 1), "the next read sees what followed the lost byte");
    }

    @Test
    void closeFailsPendingOperationsAndClosesEverySocket() throws IOException {
        EventLoop loop = TckConfig.openLoop();
        Harness other = new Harness(loop);
        SocketHandle listener = other.listen();
        LocalPair pair = other.pair(listener);
        Recorder accept = other.recorder();
        Recorder read = other.recorder();
        assertNull(loop.transport().accept(listener, accept));
        assertEquals(Transport.PENDING, loop.transport().read(pair.client(), ByteBuffer.allocate(8), read));
        assertEquals(2, loop.pendingOperations());

        loop.close();

        assertInstanceOf(AsynchronousCloseException.class, accept.error());
        assertInstanceOf(AsynchronousCloseException.class, read.error());
        assertEquals(0, loop.pendingOperations());
        assertFalse(listener.isOpen(), "the listener is closed");
        assertFalse(pair.client().isOpen(), "the client is closed");
        assertFalse(pair.server().isOpen(), "the accepted socket is closed");
        loop.close();
    }
}
