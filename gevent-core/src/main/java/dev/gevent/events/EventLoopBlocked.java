package dev.gevent.events;

import dev.gevent.Greenlet;
import dev.gevent.Hub;
import java.time.Duration;
import java.util.List;

/**
 * The blocking monitor found a hub whose loop has not run for longer than
 * {@code gevent.maxBlockingTime} (gevent: {@code gevent.events.EventLoopBlocked}). Published once
 * per episode, when it is noticed; the monitor also writes {@link #report()} to the
 * {@code System.Logger} named {@code dev.gevent.monitor}.
 *
 * @param hub the hub whose loop is held
 * @param greenlet what holds it: the greenlet running on the hub's thread, or the hub's main
 *     greenlet (user code on the hub's own thread, or a hub callback); null for a virtual thread of
 *     the hub that is not a greenlet the hub knows
 * @param blockingTime how long the loop had not run when this was noticed (at least
 *     {@code gevent.maxBlockingTime})
 * @param stack the stack of the thread holding the hub, when noticed
 * @param report the whole report as logged: hub, duration, culprit and stack, one line each
 */
public record EventLoopBlocked(Hub hub, Greenlet<?> greenlet, Duration blockingTime, List<StackTraceElement> stack,
        String report) {
}
