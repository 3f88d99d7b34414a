/**
 * Real threads for work that would block the hub (gevent: {@code gevent.threadpool}):
 * {@link dev.gevent.threadpool.ThreadPool}, whose results greenlets of any hub wait for without
 * blocking their hub, and each hub's default pool, {@link dev.gevent.threadpool.ThreadPool#forHub()}.
 */
package dev.gevent.threadpool;
