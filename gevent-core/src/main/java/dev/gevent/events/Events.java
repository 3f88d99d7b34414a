package dev.gevent.events;

import dev.gevent.Cancellable;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Events the runtime publishes about itself, for tools and tests (gevent: {@code gevent.events},
 * its {@code subscribers} list and {@code notify}). Today: {@link EventLoopBlocked}, from the
 * blocking monitor.
 *
 * <p>Subscribers run on the thread that publishes (the monitor's thread for
 * {@link EventLoopBlocked}), one after the other in the order they subscribed; they must be quick
 * and must not block a hub. A subscriber that throws is reported to standard error and the others
 * still run. Thread-safe.
 */
public final class Events {
    private static final CopyOnWriteArrayList<Consumer<Object>> SUBSCRIBERS = new CopyOnWriteArrayList<>();

    private Events() {
    }

    /**
     * @param subscriber called with every event published from now on
     * @return a handle whose {@code cancel()} unsubscribes it
     */
    public static Cancellable subscribe(Consumer<Object> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        SUBSCRIBERS.add(subscriber);
        return () -> SUBSCRIBERS.remove(subscriber);
    }

    /**
     * Hands {@code event} to every subscriber.
     *
     * @param event what happened
     */
    public static void notify(Object event) {
        Objects.requireNonNull(event, "event");
        for (Consumer<Object> s : SUBSCRIBERS) {
            try {
                s.accept(event);
            } catch (RuntimeException | Error e) {
                System.err.println("gevent: an event subscriber failed on " + event);
                e.printStackTrace();
            }
        }
    }

    /** @return true if anyone listens: publishers may skip building an event */
    public static boolean hasSubscribers() {
        return !SUBSCRIBERS.isEmpty();
    }
}
