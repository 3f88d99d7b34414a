/**
 * Groups and pools of greenlets (gevent: {@code gevent.pool}): {@link dev.gevent.pool.Group}
 * tracks greenlets until they die and waits for, kills or maps over them;
 * {@link dev.gevent.pool.Pool} is a group that holds at most a fixed number at a time. Both belong
 * to one hub and are used from its thread (its greenlets, or the hub thread itself), like gevent's.
 */
package dev.gevent.pool;
