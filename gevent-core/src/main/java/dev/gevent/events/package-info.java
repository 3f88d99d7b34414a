/**
 * Events the runtime publishes about itself, for monitoring tools and tests (gevent:
 * {@code gevent.events}): {@link dev.gevent.events.Events} to subscribe,
 * {@link dev.gevent.events.EventLoopBlocked} from the blocking monitor.
 */
package dev.gevent.events;
