package dev.gevent.tck.loop;

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
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import org.junit.jupiter.api.Test;

/**
 * What a completion may do from inside {@code poll}: start the next operation in its own direction
 * (its slot is free by then), start one on another socket, close its socket (failing the other
 * direction's operation), and close the whole loop.
 */
public class CompletionReentryTck extends LoopTck {
    @Test
    void completionStartsTheNextReadOfItsSocket() throws IOException {
        LocalPair pair = h.pair();
        int size = 1024 * 1024;
        ChainedReader reader = new ChainedReader(h.transport, pair.server(), ByteBuffer.allocate(size));
        reader.start();
        ByteBuffer src = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            src.put(i, (byte) (i * 7 + (i >>> 11)));
        }
        h.writeFully(pair.client(), src.duplicate());
        h.pollUntil(() -> reader.done);
        if (reader.error != null) {
            throw new AssertionError("the chained read failed", reader.error);
        }
        assertEquals(src.rewind(), reader.dst.flip(), "the bytes read in a chain of reads");
        assertTrue(reader.reads > 1, "the transfer took several reads");
        assertEquals(0, h.loop.pendingOperations());
    }

    @Test
    void completionClosesItsSocket() throws IOException {
        LocalPair pair = h.pair();
        Filled filled = h.fillUntilPending(pair.server());
        Completion closing = new Completion() {
            @Override
            public void complete(long result, Object value) {
                try {
                    h.transport.close(pair.server());
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }

            @Override
            public void fail(IOException error) {
                throw new AssertionError("the read failed", error);
            }
        };
        assertEquals(Transport.PENDING, h.transport.read(pair.server(), ByteBuffer.allocate(8), closing));
        h.writeFully(pair.client(), ByteBuffer.allocate(1));
        h.pollUntil(() -> !pair.server().isOpen());
        assertInstanceOf(AsynchronousCloseException.class, filled.pending().error(),
                "the write pending in the other direction fails when the read's completion closes the socket");
        h.loop.poll(0);
        assertEquals(0, h.loop.pendingOperations());
        assertFalse(pair.server().isOpen());
    }

    @Test
    void completionStartsAnOperationOnAnotherSocket() throws IOException {
        SocketHandle listener = h.listen();
        LocalPair pair = h.pair(listener);
        Recorder accept = h.recorder();
        boolean[] ran = {false};
        SocketHandle[] acceptedAtOnce = {null};
        Completion startAccept = new Completion() {
            @Override
            public void complete(long result, Object value) {
                try {
                    acceptedAtOnce[0] = h.transport.accept(listener, accept);
                    ran[0] = true;
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }

            @Override
            public void fail(IOException error) {
                throw new AssertionError("the read failed", error);
            }
        };
        assertEquals(Transport.PENDING, h.transport.read(pair.server(), ByteBuffer.allocate(8), startAccept));
        h.writeFully(pair.client(), "go");
        h.pollUntil(() -> ran[0]);
        assertNull(acceptedAtOnce[0], "nobody connected yet, so the accept is pending");
        assertEquals(1, h.loop.pendingOperations());
        SocketHandle client = h.transport.openStream(h.localInet(listener));
        h.connect(client, h.localInet(listener));
        h.await(accept);
        assertEquals(h.transport.localAddress(client), h.transport.remoteAddress(Harness.acceptedBy(accept)));
    }

    @Test
    void completionClosesTheLoop() throws Exception {
        EventLoop loop = TckConfig.openLoop();
        try (Harness other = new Harness(loop)) {
            PeerPair p = other.peerPair();
            SocketHandle listener = other.listen();
            Recorder accept = other.recorder();
            assertNull(loop.transport().accept(listener, accept));
            boolean[] closed = {false};
            Completion closeLoop = new Completion() {
                @Override
                public void complete(long result, Object value) {
                    loop.close();
                    closed[0] = true;
                }

                @Override
                public void fail(IOException error) {
                    throw new AssertionError("the read failed", error);
                }
            };
            assertEquals(Transport.PENDING, loop.transport().read(p.socket(), ByteBuffer.allocate(8), closeLoop));
            p.peer().getOutputStream().write(1);
            other.pollUntil(() -> closed[0]);
            assertInstanceOf(AsynchronousCloseException.class, accept.error());
            assertEquals(0, loop.pendingOperations());
            assertFalse(listener.isOpen());
            assertFalse(p.socket().isOpen());
        }
    }

    /** Reads until its buffer is full, starting each next read from the completion of the last. */
    private static final class ChainedReader implements Completion {
        private final Transport transport;
        private final SocketHandle socket;
        final ByteBuffer dst;
        int reads;
        boolean done;
        Throwable error;

        ChainedReader(Transport transport, SocketHandle socket, ByteBuffer dst) {
            this.transport = transport;
            this.socket = socket;
            this.dst = dst;
        }

        void start() throws IOException {
            while (!done) {
                long n = transport.read(socket, dst, this);
                if (n == Transport.PENDING) {
                    return;
                }
                finished(n);
            }
        }

        private void finished(long n) {
            reads++;
            if (n < 0) {
                error = new AssertionError("end of stream after " + dst.position() + " bytes");
                done = true;
            } else if (!dst.hasRemaining()) {
                done = true;
            }
        }

        @Override
        public void complete(long result, Object value) {
            finished(result);
            try {
                start();
            } catch (IOException | RuntimeException e) {
                error = e;
                done = true;
            }
        }

        @Override
        public void fail(IOException failure) {
            error = failure;
            done = true;
        }
    }
}
