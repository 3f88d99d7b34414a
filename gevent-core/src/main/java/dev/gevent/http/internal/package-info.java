/** The HTTP server's connection, parser and exchange. Internal API. */
package dev.gevent.http.internal;
