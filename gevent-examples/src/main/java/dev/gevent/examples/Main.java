package dev.gevent.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The entry point of the examples jar: {@code java -jar gevent-examples.jar EXAMPLE [ARGS...]}.
 * The first argument names the example; the rest are its own. Without one, or with an unknown
 * one, it lists the examples and exits with status 2.
 */
public final class Main {
    private record Example(String summary, Consumer<String[]> main) {
    }

    private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("demo", new Example("a short tour: greenlets, joinAll, Timeout, withTimeout, kill, Thread.sleep", Demo::main));
    }

    private Main() {
    }

    /**
     * Runs the example named by {@code args[0]} with the remaining arguments.
     *
     * @param args the example's name, then its arguments
     */
    public static void main(String[] args) {
        Example example = args.length == 0 ? null : EXAMPLES.get(args[0]);
        if (example == null) {
            usage(args.length == 0 ? null : args[0]);
            System.exit(2);
        }
        example.main().accept(Arrays.copyOfRange(args, 1, args.length));
    }

    private static void usage(String unknown) {
        if (unknown != null) {
            System.err.println("unknown example: " + unknown);
        }
        System.err.println("usage: java -jar gevent-examples.jar EXAMPLE [ARGS...]");
        System.err.println("examples:");
        int width = EXAMPLES.keySet().stream().mapToInt(String::length).max().orElse(0);
        EXAMPLES.forEach((name, example) -> System.err.printf("  %-" + width + "s  %s%n", name, example.summary()));
    }
}
