/**
 * Locking primitives for greenlets (gevent: {@code gevent.lock}): {@link dev.gevent.lock.Semaphore},
 * {@link dev.gevent.lock.BoundedSemaphore}, {@link dev.gevent.lock.DummySemaphore} and
 * {@link dev.gevent.lock.RLock}. Blocking calls block only the calling greenlet; waiters are served
 * in arrival order; every type may be shared by greenlets of different hubs and by plain threads.
 */
package dev.gevent.lock;
