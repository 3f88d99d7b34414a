package dev.gevent.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entry point of the examples jar: {@code java -jar gevent-examples.jar EXAMPLE [ARGS...]}.
 * The first argument names the example; the rest are its own. Without one, or with an unknown
 * one, it lists the examples and exits with status 2; arguments the example cannot use print its
 * usage and exit with status 2; an example that fails prints why and exits with status 1.
 */
public final class Main {
    /** An example's entry point, given the arguments after its name. */
    @FunctionalInterface
    private interface Entry {
        void main(String[] args) throws Exception;
    }

    private record Example(String usage, String summary, Entry entry) {
    }

    private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("demo", new Example("", "a short tour: greenlets, joinAll, Timeout, withTimeout, kill, Thread.sleep",
                Demo::main));
        EXAMPLES.put("echoserver", new Example(EchoServer.USAGE, "a StreamServer echoing bytes (--greet: gevent's line echo)",
                EchoServer::main));
        EXAMPLES.put("portforwarder", new Example(PortForwarder.USAGE, "forwards each connection to a target, two greenlets each",
                PortForwarder::main));
        EXAMPLES.put("udp_server", new Example(UdpServer.USAGE, "a DatagramServer answering \"Received N bytes\"",
                UdpServer::main));
        EXAMPLES.put("udp_client", new Example(UdpClient.USAGE, "sends one datagram and prints the reply",
                UdpClient::main));
        EXAMPLES.put("sslechoserver", new Example(SslEchoServer.USAGE, "the echo server over TLS, keys from a PKCS12 key store",
                SslEchoServer::main));
        EXAMPLES.put("concurrent_download", new Example(ConcurrentDownload.USAGE,
                "fetches pages concurrently, one greenlet each, from a local server or given http:// URLs",
                ConcurrentDownload::main));
        EXAMPLES.put("chat", new Example(ChatServer.USAGE, "a broadcast chat server: each line goes to every other client",
                ChatServer::main));
        EXAMPLES.put("threadpool", new Example(ThreadPoolExample.USAGE,
                "blocking sleeps on a ThreadPool's real threads while the hub keeps running", ThreadPoolExample::main));
        EXAMPLES.put("processes", new Example(Processes.USAGE, "commands run at once through dev.gevent.subprocess",
                Processes::main));
        EXAMPLES.put("dns_mass_resolve", new Example(DnsMassResolve.USAGE,
                "many lookups through Dns, a Pool bounding them, one Timeout over all", DnsMassResolve::main));
        EXAMPLES.put("fileserver", new Example(FileServer.USAGE, "sends files over TCP, reading them on the hub's ThreadPool",
                FileServer::main));
        EXAMPLES.put("httpserver", new Example(HttpHelloServer.USAGE,
                "an HTTP server answering 200 \"Hello, World!\" to every request, keep-alive, on one hub",
                HttpHelloServer::main));
        EXAMPLES.put("http_json", new Example(JsonApiServer.USAGE, "a small JSON API (a to-do list) on the HTTP server",
                JsonApiServer::main));
        EXAMPLES.put("httpsserver", new Example(HttpsHelloServer.USAGE,
                "the httpserver hello over TLS (HttpsServer), keys from a PKCS12 key store", HttpsHelloServer::main));
        EXAMPLES.put("webproxy", new Example(WebProxy.USAGE,
                "fetches URLs for you (GET /URL), the links of HTML pages rewritten to go through it", WebProxy::main));
    }

    private Main() {
    }

    /**
     * Runs the example named by {@code args[0]} with the remaining arguments, and exits with a
     * non-zero status if it could not run or failed.
     *
     * @param args the example's name, then its arguments
     */
    public static void main(String[] args) {
        int status = run(args, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the example named by {@code args[0]} with the remaining arguments, without exiting.
     *
     * @param args the example's name, then its arguments
     * @param err where usage and failures are printed
     * @return 0 when the example returned, 2 for an unknown example or arguments it cannot use, 1
     *     when it failed
     */
    public static int run(String[] args, PrintStream err) {
        String name = args.length == 0 ? null : args[0];
        Example example = name == null ? null : EXAMPLES.get(name);
        if (example == null) {
            listExamples(name, err);
            return 2;
        }
        try {
            example.entry().main(Arrays.copyOfRange(args, 1, args.length));
            return 0;
        } catch (Args.Bad e) {
            err.println(name + ": " + e.getMessage());
            err.println("usage: java -jar gevent-examples.jar " + name + (example.usage().isEmpty() ? "" : " " + example.usage()));
            return 2;
        } catch (Exception e) {
            err.println(name + ": " + e);
            return 1;
        }
    }

    private static void listExamples(String unknown, PrintStream err) {
        if (unknown != null) {
            err.println("unknown example: " + unknown);
        }
        err.println("usage: java -jar gevent-examples.jar EXAMPLE [ARGS...]");
        err.println("examples:");
        int width = EXAMPLES.entrySet().stream().mapToInt(e -> usageLine(e.getKey(), e.getValue()).length()).max().orElse(0);
        EXAMPLES.forEach((name, example) -> err.printf("  %-" + width + "s  %s%n", usageLine(name, example), example.summary()));
    }

    private static String usageLine(String name, Example example) {
        return example.usage().isEmpty() ? name : name + " " + example.usage();
    }
}
