package dev.gevent.tck.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gevent.http.HttpServer;
import dev.gevent.tck.GeventTck;
import dev.gevent.threadpool.ThreadPool;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * curl, where installed, as the client: two URLs on one kept-alive connection, a chunked upload, a
 * HEAD, and an upload large enough that curl sends {@code Expect: 100-continue}.
 */
@GeventTck
public class CurlTck {

    private static String curl(String... args) throws Exception {
        return curlWithInput("", args);
    }

    private static String curlWithInput(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--http1.1", "--max-time", "20"));
        command.addAll(List.of(args));
        // the process's pipes are blocking file I/O, which would stall the hub: they run on the thread pool
        return ThreadPool.forHub().apply(() -> {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                // curl reads what it uploads with "@-" from its input, written here
                try (var stdin = p.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(30, TimeUnit.SECONDS);
                return out;
            } finally {
                p.destroyForcibly();
            }
        });
    }

    private static boolean installed() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (new File(dir, "curl").canExecute()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void curlGetsPostsChunkedAndHeads() throws Exception {
        assumeTrue(installed(), "curl is not installed on this machine: skipping the curl client");
        HttpServer server = Servers.start(Servers::echo);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            assertEquals("GET /one GET /two ", curl(base + "/one", base + "/two"));
            assertEquals("POST /up chunked body",
                    curl("-H", "Transfer-Encoding: chunked", "--data-binary", "chunked body", base + "/up"));
            String head = curl("-I", base + "/head");
            assertEquals("HTTP/1.1 200 OK", head.lines().findFirst().orElseThrow());
            String big = "b".repeat(2 * 1024 * 1024);
            assertEquals("PUT /big " + big.length(), curlWithInput(big, "-X", "PUT", "-H", "Expect: 100-continue", "--data-binary", "@-",
                    base + "/big").replace(big, Integer.toString(big.length())));
        } finally {
            server.stop(0);
        }
    }
}
