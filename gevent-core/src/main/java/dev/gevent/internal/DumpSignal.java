package dev.gevent.internal;

import java.util.Locale;
import sun.misc.Signal;

/**
 * {@code gevent.dumpSignal=USR2} (or another signal): on that signal the JVM's signal thread prints
 * {@link GreenletDump} to standard error, as {@code kill -QUIT} prints a thread dump. It runs on
 * that thread, not in a hub, so a blocked hub does not stop it. Off unless set; installed when a
 * hub is created with the setting on, once per JVM.
 */
final class DumpSignal {
    private static String installed;

    private DumpSignal() {
    }

    static synchronized void installIfConfigured() {
        String v = Config.get("gevent.dumpSignal", "GEVENT_DUMP_SIGNAL");
        if (v == null || installed != null) {
            return;
        }
        String name = v.toUpperCase(Locale.ROOT);
        String bare = name.startsWith("SIG") ? name.substring(3) : name;
        try {
            Signal.handle(new Signal(bare), s -> System.err.print(GreenletDump.format()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gevent.dumpSignal=" + v + ": not a signal this JVM lets a program handle"
                    + " (USR2, USR1, HUP or WINCH will do)", e);
        }
        installed = bare;
    }
}
