package dev.gevent.http.internal;

/**
 * A request the server refuses before any handler sees it: the status to answer with and why.
 * Thrown for each bad request a client sends, so it carries no stack trace.
 */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
