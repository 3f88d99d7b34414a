/**
 * Events and results that greenlets wait for (gevent: {@code gevent.event}): {@link Event} and
 * {@link AsyncResult}. Both may be shared by greenlets of different hubs and by plain threads; a
 * waiter is always resumed on its own hub.
 */
package dev.gevent.event;
