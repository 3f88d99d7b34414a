package dev.gevent.internal;

/**
 * The JMX view of {@link GreenletDump}, registered as {@code dev.gevent:type=Greenlets} when the
 * first hub is created: jconsole, VisualVM or any JMX client can call {@link #dumpGreenlets()} on a
 * running process. Public only because JMX requires it.
 */
public interface GreenletsMBean {
    /** @return what {@code Gevent.dumpGreenlets()} returns */
    String dumpGreenlets();

    /** @return the number of open hubs */
    int getHubCount();
}
