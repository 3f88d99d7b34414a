package dev.gevent.examples;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.subprocess.CompletedProcess;
import dev.gevent.subprocess.Subprocess;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * gevent's {@code examples/processes.py}: several commands run at once, each waited for by its own
 * greenlet through {@code dev.gevent.subprocess}, while the hub stays free. Each COMMAND is a
 * {@code sh -c} command line; the outputs are printed in the order given, with each exit status.
 *
 * <p>Run: {@code java -jar gevent-examples.jar processes [COMMAND...]} (default: {@code uname -a}
 * and {@code ls /}). A command still running after 10 seconds is killed.
 */
public final class Processes {
    /** The arguments after the example's name. */
    public static final String USAGE = "[COMMAND...]";
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private Processes() {
    }

    /**
     * @param args {@value #USAGE}
     * @throws IOException if {@code sh} cannot be started
     */
    public static void main(String[] args) throws IOException {
        run(args, System.out);
    }

    /**
     * Runs the commands in the calling thread's hub, printing to {@code out}.
     *
     * @param args {@value #USAGE}
     * @param out where the outputs go
     * @throws IOException if {@code sh} cannot be started
     */
    public static void run(String[] args, PrintStream out) throws IOException {
        List<String> commands = args.length == 0 ? List.of("uname -a", "ls /") : List.of(args);
        try (Hub _ = Gevent.getHub()) {
            List<Greenlet<CompletedProcess>> runs = new ArrayList<>();
            for (String command : commands) {
                runs.add(Gevent.spawn(() -> Subprocess.run(List.of("sh", "-c", command), null, LIMIT, false)));
            }
            for (int i = 0; i < commands.size(); i++) {
                CompletedProcess r = runs.get(i).get();
                out.println("$ " + commands.get(i));
                out.print(r.stdoutText());
                if (!r.stderrText().isEmpty()) {
                    out.print("stderr: " + r.stderrText());
                }
                out.println("exit " + r.returncode());
            }
        }
    }
}
