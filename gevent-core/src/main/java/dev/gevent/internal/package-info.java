/**
 * The runtime behind the {@code dev.gevent} API: hubs, greenlets on virtual threads, timers,
 * timeouts. Not public API: its types may change in any release.
 */
package dev.gevent.internal;
