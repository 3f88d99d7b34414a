package dev.gevent.benchmarks;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The hub of the JMH worker thread, for the {@code gevent} side of a benchmark. JMH calls the
 * benchmark methods, and this state's setup and teardown, on one platform worker thread; that
 * thread becomes the hub's main greenlet, and blocking calls made by the benchmark method run
 * the hub's loop.
 */
@State(Scope.Thread)
public class HubState {
    /** The worker thread's hub, open for the whole trial. */
    public Hub hub;

    /** Creates the hub outside the measured path. */
    @Setup(Level.Trial)
    public void open() {
        hub = Gevent.getHub();
    }

    /** Kills what is left and closes the loop. */
    @TearDown(Level.Trial)
    public void close() {
        hub.close();
    }
}
