/**
 * A Java REPL into the running process (gevent: {@code gevent.backdoor}):
 * {@link dev.gevent.backdoor.BackdoorServer}, one JShell session per connection, snippets run as
 * greenlets of the server's hub.
 */
package dev.gevent.backdoor;
