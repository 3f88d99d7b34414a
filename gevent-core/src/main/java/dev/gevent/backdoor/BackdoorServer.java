package dev.gevent.backdoor;

import dev.gevent.Gevent;
import dev.gevent.Hub;
import dev.gevent.server.StreamServer;
import dev.gevent.socket.StreamSocket;
import dev.gevent.threadpool.ThreadPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * A Java REPL into the running process over TCP (gevent: {@code gevent.backdoor.BackdoorServer}):
 * each connection is a {@link JShell} session in a greenlet of the hub that started the server.
 * Snippets run in that hub, as greenlets, in this JVM: they see the objects handed over as locals
 * ({@code hub}, {@code out}, and whatever {@link #BackdoorServer(InetSocketAddress, Map)} gave)
 * and may call gevent's blocking API. Compiling a snippet runs on the hub's {@link ThreadPool}, not
 * on the hub's thread.
 *
 * <pre>{@code
 * try (var backdoor = new BackdoorServer(new InetSocketAddress("127.0.0.1", 5001), Map.of("server", server))) {
 *     backdoor.start();  // then: nc 127.0.0.1 5001, and type server.address()
 *     ...
 * }
 * }</pre>
 *
 * <p>Listens on a loopback address only, unless {@link #allowNonLoopback()} says otherwise; with
 * {@link #password(String)} a session starts with a password line, and a wrong one closes it. A
 * session ends on {@code /exit} or at the end of the stream. Lines are {@code >>> } prompted;
 * {@code ... } asks for the rest of an incomplete snippet. {@code out.println(...)} writes to the
 * session; {@code System.out} is the process's.
 *
 * <p>Needs the {@code jdk.jshell} module, which a full JDK has: a runtime image made with jlink must
 * add it ({@code --add-modules jdk.jshell}).
 */
public final class BackdoorServer implements AutoCloseable {
    private static final AtomicLong SESSIONS = new AtomicLong();
    private static final Map<Long, Map<String, Object>> SESSION_LOCALS = new ConcurrentHashMap<>();

    private final InetSocketAddress listen;
    private final Map<String, Object> locals;
    private byte[] password;
    private boolean nonLoopback;
    private StreamServer server;
    private Hub hub;

    /**
     * @param listen a loopback address and port (0: any free port)
     */
    public BackdoorServer(InetSocketAddress listen) {
        this(listen, Map.of());
    }

    /**
     * @param listen a loopback address and port (0: any free port)
     * @param locals objects each session sees as variables of these names (gevent's {@code locals})
     * @throws IllegalStateException if the runtime lacks the {@code jdk.jshell} module
     */
    public BackdoorServer(InetSocketAddress listen, Map<String, ?> locals) {
        this.listen = Objects.requireNonNull(listen, "listen");
        this.locals = new LinkedHashMap<>(Objects.requireNonNull(locals, "locals"));
        for (String name : this.locals.keySet()) {
            if (!name.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
                throw new IllegalArgumentException("a local's name must be a Java identifier, got: " + name);
            }
        }
        if (ModuleLayer.boot().findModule("jdk.jshell").isEmpty()) {
            throw new IllegalStateException("the backdoor needs the jdk.jshell module, missing from this runtime;"
                    + " a jlink image must add it: --add-modules jdk.jshell");
        }
    }

    /**
     * @param password what a session must send as its first line; null: none (the default)
     * @return this
     */
    public BackdoorServer password(String password) {
        checkNotStarted();
        this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /**
     * Allows an address that is not a loopback one: anyone who can connect runs code in this JVM.
     *
     * @return this
     */
    public BackdoorServer allowNonLoopback() {
        checkNotStarted();
        this.nonLoopback = true;
        return this;
    }

    /**
     * Starts listening in the calling thread's hub; returns at once.
     *
     * @throws IOException if it cannot listen
     * @throws IllegalArgumentException if the address is not a loopback one and that was not allowed
     */
    public void start() throws IOException {
        checkNotStarted();
        if (!nonLoopback && (listen.isUnresolved() || !listen.getAddress().isLoopbackAddress())) {
            throw new IllegalArgumentException("the backdoor listens on a loopback address only, got " + listen
                    + "; call allowNonLoopback() to listen elsewhere");
        }
        hub = Gevent.getHub();
        server = new StreamServer(listen, (socket, peer) -> session(socket));
        server.start();
    }

    /**
     * Starts, then serves until {@link #stop()}.
     *
     * @throws IOException if it cannot listen
     */
    public void serveForever() throws IOException {
        if (server == null) {
            start();
        }
        server.serveForever();
    }

    /** @return the address it listens on, once started */
    public InetSocketAddress address() {
        return server == null ? null : server.address();
    }

    /** Stops accepting; sessions in progress go on. Idempotent. */
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * What a session's {@code locals} declarations read; public only because snippets call it.
     *
     * @param session the session's number
     * @param name the local's name
     * @return the object
     */
    public static Object local(long session, String name) {
        return SESSION_LOCALS.getOrDefault(session, Map.of()).get(name);
    }

    private void checkNotStarted() {
        if (server != null) {
            throw new IllegalStateException("the backdoor is already started");
        }
    }

    private void session(StreamSocket socket) throws IOException {
        PrintStream out = new PrintStream(new SessionOutput(socket.outputStream()), true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.inputStream(), StandardCharsets.UTF_8));
        if (password != null) {
            out.print("Password: ");
            out.flush();
            String given = in.readLine();
            if (given == null || !MessageDigest.isEqual(password, given.getBytes(StandardCharsets.UTF_8))) {
                out.println("wrong password");
                return;
            }
        }
        long id = SESSIONS.incrementAndGet();
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("hub", hub);
        scope.put("out", out);
        scope.putAll(locals);
        SESSION_LOCALS.put(id, scope);
        ThreadPool pool = ThreadPool.forHub();
        ClassLoader loader = BackdoorServer.class.getClassLoader();
        JShell shell = pool.apply(() -> JShell.builder()
                .executionEngine(new HubEngine(hub, loader), Map.of())
                .out(out)
                .err(out)
                .build());
        try {
            pool.apply(() -> {
                shell.addToClasspath(System.getProperty("java.class.path"));
                return null;
            });
            for (Map.Entry<String, Object> local : scope.entrySet()) {
                String declaration = "var " + local.getKey() + " = (" + publicType(local.getValue()) + ") "
                        + BackdoorServer.class.getName() + ".local(" + id + "L, \"" + local.getKey() + "\");";
                pool.apply(() -> shell.eval(declaration));
            }
            out.println("gevent backdoor: Java " + Runtime.version() + " in " + hub + "; locals: "
                    + String.join(", ", scope.keySet()) + "; /exit ends the session");
            repl(shell, pool, in, out);
        } finally {
            SESSION_LOCALS.remove(id);
            pool.apply(() -> {
                shell.close();
                return null;
            });
        }
    }

    private static void repl(JShell shell, ThreadPool pool, BufferedReader in, PrintStream out) throws IOException {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String pending = "";
        while (true) {
            out.print(pending.isEmpty() ? ">>> " : "... ");
            out.flush();
            String line = in.readLine();
            if (line == null || (pending.isEmpty() && line.strip().equals("/exit"))) {
                return;
            }
            String source = pending + line + "\n";
            SourceCodeAnalysis.CompletionInfo info = pool.apply(() -> analysis.analyzeCompletion(source));
            while (info.completeness().isComplete() || info.completeness() == SourceCodeAnalysis.Completeness.UNKNOWN) {
                String snippet = info.source();
                report(shell, pool.apply(() -> shell.eval(snippet)), out);
                String rest = info.remaining();
                info = pool.apply(() -> analysis.analyzeCompletion(rest));
            }
            pending = info.completeness() == SourceCodeAnalysis.Completeness.EMPTY ? "" : info.remaining();
        }
    }

    private static void report(JShell shell, List<SnippetEvent> events, PrintStream out) {
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            if (e.exception() != null) {
                String type = e.exception() instanceof EvalException ee ? ee.getExceptionClassName() : e.exception().getClass().getName();
                out.println(type + ": " + e.exception().getMessage());
            } else if (e.status() == Snippet.Status.REJECTED) {
                shell.diagnostics(e.snippet()).forEach(d -> out.println("error: " + d.getMessage(Locale.ROOT)));
            } else if ((e.snippet() instanceof ExpressionSnippet
                    || e.snippet().subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) && e.value() != null) {
                // an expression's value, as gevent's backdoor prints repr(value)
                out.println(e.value());
            } else if (e.snippet() instanceof VarSnippet v && e.value() != null) {
                out.println(v.name() + " ==> " + e.value());
            }
        }
    }

    /** @return the most specific public, exported type of {@code value}: what a snippet can name */
    static String publicType(Object value) {
        for (Class<?> c = value == null ? Object.class : value.getClass(); c != null; c = c.getSuperclass()) {
            if (isNameable(c)) {
                return c.getCanonicalName();
            }
            for (Class<?> i : c.getInterfaces()) {
                if (isNameable(i)) {
                    return i.getCanonicalName();
                }
            }
        }
        return "Object";
    }

    private static boolean isNameable(Class<?> c) {
        return Modifier.isPublic(c.getModifiers()) && !c.isHidden() && c.getCanonicalName() != null
                && c.getModule().isExported(c.getPackageName());
    }

    /** The execution engine of a session: snippets run in greenlets of {@link #hub}. */
    private record HubEngine(Hub hub, ClassLoader loader) implements ExecutionControlProvider {
        @Override
        public String name() {
            return "gevent-hub";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return new HubExecutionControl(hub, loader);
        }
    }

    /** The session's output: closing it (a snippet calling out.close()) must not close the connection. */
    private static final class SessionOutput extends java.io.FilterOutputStream {
        SessionOutput(OutputStream socket) {
            super(socket);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
