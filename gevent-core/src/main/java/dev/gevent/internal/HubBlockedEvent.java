package dev.gevent.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event {@code dev.gevent.HubBlocked}: the blocking monitor ({@code gevent.monitor=true}) saw a
 * hub's loop held longer than {@code gevent.maxBlockingTime}. Committed by the monitor's thread once
 * the episode is over, with its whole length.
 */
@Name("dev.gevent.HubBlocked")
@Label("Hub Blocked")
@Category({"gevent", "Hub"})
@Description("A hub's loop did not run for longer than gevent.maxBlockingTime")
@StackTrace(false)
final class HubBlockedEvent extends Event {
    @Label("Hub")
    String hub;

    @Label("Culprit")
    @Description("The greenlet that held the hub, or its main greenlet")
    String culprit;

    @Label("Blocked For")
    @Timespan(Timespan.NANOSECONDS)
    long blockedFor;

    @Label("Culprit Stack")
    @Description("The culprit's stack when the monitor noticed, one frame a line")
    String culpritStack;
}
