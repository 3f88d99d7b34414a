package dev.gevent.tck.http;

import dev.gevent.Gevent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;

/**
 * {@code java.net.http.HttpClient} (HTTP/1.1) used from greenlets: its work runs as greenlets of
 * the calling hub, and {@code send} parks only the calling greenlet.
 */
final class JdkClient implements AutoCloseable {
    private final ExecutorService executor = Gevent.getHub().executor();
    private final HttpClient client = HttpClient.newBuilder().executor(executor).version(HttpClient.Version.HTTP_1_1).build();

    /** Sends {@code request} from a greenlet and waits for its response. */
    HttpResponse<String> send(HttpRequest request) {
        return Gevent.spawn(() -> client.send(request, HttpResponse.BodyHandlers.ofString())).get();
    }

    HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).build());
    }

    @Override
    public void close() {
        // close() waits for the client's own threads: a blocking call, made in a greenlet
        Gevent.spawn(client::close).join();
        executor.shutdown();
    }
}
