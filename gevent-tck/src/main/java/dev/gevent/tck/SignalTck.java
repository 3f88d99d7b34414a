package dev.gevent.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Cancellable;
import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.Timeout;
import dev.gevent.Waiter;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Signal handlers (gevent: {@code gevent.signal_handler}): the handler runs in a new greenlet of
 * the hub that installed it; cancelling restores the previous handler; bad names are refused.
 * SIGWINCH is used because its default action is to be ignored: a test that went wrong cannot end
 * the JVM.
 */
@GeventTck
public class SignalTck {

    private static void raise(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid()))
                .inheritIO()
                .start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill did not exit");
        assertEquals(0, kill.exitValue(), "kill -" + signal + " failed");
    }

    @Test
    void handlerRunsInANewGreenletOfTheInstallingHub() throws Exception {
        Hub hub = Gevent.getHub();
        Waiter<Thread> ran = hub.newWaiter();
        Cancellable handler = Gevent.signalHandler("WINCH", () -> {
            assertSame(hub, Gevent.getHub());
            ran.switchTo(Thread.currentThread());
        });
        try (Timeout guard = Timeout.startNew(Duration.ofSeconds(20))) {
            raise("WINCH");
            Thread handlerThread = ran.get();
            assertTrue(handlerThread.isVirtual(), "the handler runs in a greenlet");
        } finally {
            assertTrue(handler.cancel());
        }
        assertFalse(handler.cancel(), "a second cancel does nothing");
    }

    @Test
    void anInstalledHandlerKeepsTheHubWaitingInsteadOfLoopExit() throws Exception {
        Hub hub = Gevent.getHub();
        Waiter<String> ran = hub.newWaiter();
        Cancellable handler = Gevent.signalHandler("SIGWINCH", () -> ran.switchTo("got it"));
        try {
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    raise("WINCH");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("got it", ran.get());
            sender.join();
        } finally {
            handler.cancel();
        }
    }

    @Test
    void unknownAndReservedSignalsAreRefusedWithTheirName() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Gevent.signalHandler("NOSUCHSIGNAL", () -> { }));
        assertTrue(unknown.getMessage().contains("NOSUCHSIGNAL"), unknown.getMessage());
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> Gevent.signalHandler("KILL", () -> { }));
        assertTrue(reserved.getMessage().contains("KILL"), reserved.getMessage());
    }
}
