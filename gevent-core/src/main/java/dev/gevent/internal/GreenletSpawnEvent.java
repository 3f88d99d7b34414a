package dev.gevent.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.gevent.GreenletSpawn}: a greenlet was created. Off unless a recording enables
 * it by name (a server spawns a greenlet per connection: too many for an always-on recording); then
 * committed on the spawning thread.
 */
@Name("dev.gevent.GreenletSpawn")
@Label("Greenlet Spawn")
@Category({"gevent", "Greenlets"})
@Description("A greenlet was created")
@StackTrace(false)
@Enabled(false)
final class GreenletSpawnEvent extends Event {
    @Label("Greenlet")
    String greenlet;

    @Label("Spawned By")
    @Description("The greenlet or thread that created it")
    String spawnedBy;

    @Label("Hub")
    String hub;

    @Label("Function")
    String function;
}
