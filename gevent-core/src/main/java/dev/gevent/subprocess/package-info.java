/**
 * Child processes that greenlets run, feed, read and wait for without blocking their hub (gevent:
 * {@code gevent.subprocess}): {@link dev.gevent.subprocess.Subprocess} to run a command,
 * {@link dev.gevent.subprocess.Popen} for its streams, and the exceptions that say what went wrong.
 */
package dev.gevent.subprocess;
