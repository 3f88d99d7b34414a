package dev.gevent.backdoor;

import dev.gevent.Hub;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs each compiled snippet in a new greenlet of the backdoor's hub, in this JVM: snippets see the
 * process's objects and may call gevent's blocking API, which switches as in any greenlet. The
 * caller (JShell's eval, on a thread-pool thread) waits for the greenlet.
 */
final class HubExecutionControl extends DirectExecutionControl {
    private final Hub hub;

    HubExecutionControl(Hub hub, ClassLoader parent) {
        super(new SnippetLoader(parent));
        this.hub = hub;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        CompletableFuture<Object> result = new CompletableFuture<>();
        hub.spawn(() -> {
            try {
                result.complete(doitMethod.invoke(null));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return valueString(result.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw new InvocationTargetException(cause);
        }
    }
}
