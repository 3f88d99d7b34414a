package dev.gevent.tck.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.gevent.GreenletExit;
import dev.gevent.event.Event;
import dev.gevent.queue.Queue;
import dev.gevent.server.ConnectionHandler;
import dev.gevent.socket.StreamSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A connection handler that holds each connection until the test releases it, then sends
 * {@code "done"} and returns; it counts the handlers running, the most that ever ran at once, and
 * how they ended. All of it is used by one hub, so plain fields suffice.
 */
final class HeldHandlers implements ConnectionHandler {
    private static final byte[] DONE = "done".getBytes(StandardCharsets.UTF_8);
    /** Long enough never to end a correct test; short enough that a broken one fails before its time limit. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Queue<Event> entered = new Queue<>();
    private int running;
    private int mostRunning;
    private int finished;
    private int killed;

    @Override
    public void handle(StreamSocket socket, SocketAddress peer) throws IOException {
        Event release = new Event();
        running++;
        mostRunning = Math.max(mostRunning, running);
        try {
            entered.put(release);
            release.await();
            socket.sendAll(DONE);
            finished++;
        } catch (GreenletExit e) {
            killed++;
            throw e;
        } finally {
            running--;
        }
    }

    /**
     * Waits for the next handler to begin, in the order they began.
     *
     * @return what releases it
     * @throws dev.gevent.queue.Empty if none began within 10 seconds
     */
    Event nextEntered() {
        return entered.get(WAIT);
    }

    /** @return how many handlers began that {@link #nextEntered()} has not handed out yet */
    int enteredNotTaken() {
        return entered.qsize();
    }

    /** @return how many handlers are running now */
    int running() {
        return running;
    }

    /** @return the most handlers that ever ran at once */
    int mostRunning() {
        return mostRunning;
    }

    /** @return how many handlers were released and sent {@code "done"} */
    int finished() {
        return finished;
    }

    /** @return how many handlers were killed while held */
    int killed() {
        return killed;
    }

    /** Checks that the client reads {@code "done"} and then the end of the stream: its handler finished. */
    static void expectDone(StreamSocket client) throws IOException {
        assertArrayEquals(DONE, client.inputStream().readAllBytes(), "a released handler sends done, then the server closes");
    }

    /** Checks that the client reads the end of the stream at once: its handler was killed and its socket closed. */
    static void expectClosedWithoutDone(StreamSocket client) throws IOException {
        assertArrayEquals(new byte[0], client.inputStream().readAllBytes(), "a killed handler's connection is closed");
    }
}
