package dev.gevent.internal;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.JMException;
import javax.management.ObjectName;

/** The MBean {@code dev.gevent:type=Greenlets}; see {@link GreenletsMBean}. */
final class Greenlets implements GreenletsMBean {
    static final String OBJECT_NAME = "dev.gevent:type=Greenlets";
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    /**
     * Registers the MBean once per JVM, on a thread of its own: starting the platform MBean server
     * takes tens of milliseconds that the first hub should not wait for. {@code gevent.jmx=false}
     * leaves JMX alone.
     */
    static void registerOnce() {
        if (REGISTERED.compareAndSet(false, true) && !"false".equalsIgnoreCase(Config.get("gevent.jmx", "GEVENT_JMX"))) {
            Thread.ofPlatform().name("gevent-jmx").daemon(true).start(() -> {
                try {
                    ManagementFactory.getPlatformMBeanServer().registerMBean(new Greenlets(), new ObjectName(OBJECT_NAME));
                } catch (JMException | RuntimeException e) {
                    System.err.println("gevent: cannot register the MBean " + OBJECT_NAME + ": " + e);
                }
            });
        }
    }

    @Override
    public String dumpGreenlets() {
        return GreenletDump.format();
    }

    @Override
    public int getHubCount() {
        return HubRegistry.hubs().size();
    }
}
