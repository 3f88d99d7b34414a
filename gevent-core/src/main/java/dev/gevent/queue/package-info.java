/**
 * Queues for greenlets (gevent: {@code gevent.queue}): {@link dev.gevent.queue.Queue} (FIFO),
 * {@link dev.gevent.queue.LifoQueue}, {@link dev.gevent.queue.PriorityQueue},
 * {@link dev.gevent.queue.JoinableQueue}, and {@link dev.gevent.queue.Channel}, the rendezvous that
 * gevent spells {@code Queue(0)}. Blocking calls block only the calling greenlet; getters and
 * putters are served in arrival order; every type may be shared by greenlets of different hubs and
 * by plain threads, and a waiter is always resumed on its own hub.
 */
package dev.gevent.queue;
