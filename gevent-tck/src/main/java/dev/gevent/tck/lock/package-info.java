/**
 * The TCK's lock section (gevent: {@code gevent.lock}): {@link dev.gevent.lock.Semaphore},
 * {@link dev.gevent.lock.BoundedSemaphore}, {@link dev.gevent.lock.DummySemaphore} and
 * {@link dev.gevent.lock.RLock}: counting, FIFO hand-over without barging, timeouts and kills that
 * never lose a permit, the {@link dev.gevent.Waitable} face, and sharing across hubs and plain
 * threads. Greenlets are ordered by yields and joins, never by sleeps.
 */
package dev.gevent.tck.lock;
