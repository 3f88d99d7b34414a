package dev.gevent.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.gevent.GreenletExit}: a greenlet died. Off unless a recording enables it by
 * name; then committed on the hub's thread as the greenlet dies.
 */
@Name("dev.gevent.GreenletExit")
@Label("Greenlet Exit")
@Category({"gevent", "Greenlets"})
@Description("A greenlet finished, failed or was killed")
@StackTrace(false)
@Enabled(false)
final class GreenletExitEvent extends Event {
    @Label("Greenlet")
    String greenlet;

    @Label("Hub")
    String hub;

    @Label("Outcome")
    @Description("successful, killed (a GreenletExit), or failed: the exception's class")
    String outcome;
}
