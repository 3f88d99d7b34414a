package dev.gevent.server;

import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.event.AsyncResult;
import dev.gevent.internal.HubCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The thread-per-core side of {@link StreamServer#hubs(int)}: N hubs of their own
 * ({@link Hub#startThread}), each running a one-hub {@link StreamServer} (a shard) with its own
 * listener on the same address, SO_REUSEPORT set when N is above one so that the kernel spreads
 * the connections among them. Each hub closes itself once its shard has stopped and its handlers
 * have returned. Made by the hub that starts the server; {@link #stop} and {@link #stop(Duration)}
 * from any thread.
 */
final class HubShards {
    private final List<Hub> hubs;
    private final List<StreamServer> shards;
    /** Per shard: completes when its handlers have returned and its hub is closing. */
    private final List<CompletableFuture<Void>> finished;
    /** Completes when every shard has finished. */
    private final CompletableFuture<Void> done;
    private final SocketAddress bound;
    /** Completes when every hub has closed and its thread ended; made by the first {@link #awaitClosed}. */
    private CompletableFuture<Void> hubsClosed;

    private HubShards(List<Hub> hubs, List<StreamServer> shards, List<CompletableFuture<Void>> finished, SocketAddress bound) {
        this.hubs = List.copyOf(hubs);
        this.shards = List.copyOf(shards);
        this.finished = List.copyOf(finished);
        this.done = CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new));
        this.bound = bound;
    }

    /**
     * Starts {@code count} hubs, each with a started shard.
     *
     * @param count how many hubs, at least one
     * @param listen where to listen; port 0 picks a free port, which every later shard then shares
     * @param name the prefix of the hubs' thread names
     * @param newShard makes a configured, unstarted one-hub server for the given address
     * @return the running shards
     * @throws IOException if a listener cannot be bound (the shards started so far are stopped)
     */
    static HubShards start(int count, SocketAddress listen, String name,
            Function<SocketAddress, StreamServer> newShard) throws IOException {
        List<Hub> hubs = new ArrayList<>(count);
        List<StreamServer> shards = new ArrayList<>(count);
        List<CompletableFuture<Void>> finished = new ArrayList<>(count);
        SocketAddress address = listen;
        try {
            for (int i = 0; i < count; i++) {
                Hub hub = Hub.startThread(name + "-hub-" + i);
                hubs.add(hub);
                StreamServer shard = newShard.apply(address);
                address = HubCall.call(hub, () -> {
                    shard.start();
                    return shard.listenAddress();
                });
                shards.add(shard);
                CompletableFuture<Void> shardDone = new CompletableFuture<>();
                finished.add(shardDone);
                hub.spawn(() -> serve(hub, shard, shardDone));
            }
        } catch (IOException | RuntimeException | Error e) {
            for (StreamServer shard : shards) {
                shard.stop();
            }
            for (Hub hub : hubs) {
                hub.close();
            }
            throw e;
        }
        return new HubShards(hubs, shards, finished, address);
    }

    /** A shard's life on its hub: serve until stopped, let the handlers finish, close the hub. */
    private static void serve(Hub hub, StreamServer shard, CompletableFuture<Void> done) {
        try {
            shard.serveForever();
            shard.awaitHandlers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            done.complete(null);
            hub.close();
        }
    }

    /** @return the address every shard listens on */
    SocketAddress address() {
        return bound;
    }

    /** @return the hubs, in the order they were started */
    List<Hub> hubs() {
        return hubs;
    }

    /**
     * Stops accepting on every hub and waits until each listener is closed; running handlers go on,
     * and each hub closes after its last.
     */
    void stop() {
        onEveryShard(StreamServer::stop);
    }

    /**
     * Stops every shard with {@link StreamServer#stop(Duration)}, all at once, and waits until their
     * hubs have closed.
     */
    void stop(Duration graceful) {
        onEveryShard(shard -> shard.stop(graceful));
        awaitClosed();
    }

    /**
     * Runs {@code action} on every shard that has not finished, each in a greenlet of its own hub,
     * all at once, and waits for them. A shard that finished has closed its listener and is
     * closing its hub, which takes no new greenlet.
     */
    private void onEveryShard(Consumer<StreamServer> action) {
        List<Greenlet<Void>> running = new ArrayList<>(shards.size());
        for (int i = 0; i < shards.size(); i++) {
            StreamServer shard = shards.get(i);
            if (finished.get(i).isDone()) {
                continue;
            }
            try {
                running.add(hubs.get(i).spawn(() -> action.accept(shard)));
            } catch (IllegalStateException closed) {
                if (!finished.get(i).isDone()) {
                    throw closed;
                }
            }
        }
        for (Greenlet<Void> g : running) {
            g.join();
        }
    }

    /** Blocks the calling greenlet until every shard's handlers have returned and its hub closed. */
    void awaitClosed() {
        // AsyncResult.of keeps the calling hub alive while it waits for the other hubs
        AsyncResult.of(done).get();
        AsyncResult.of(hubsClosed()).get();
    }

    /**
     * Closes every hub and waits for its thread to end, on a platform thread of its own. Not in
     * the caller: {@code Thread.join} in a greenlet keeps the joined thread's monitor while the
     * greenlet is unmounted, so a second caller on the same hub (serveForever's greenlet and stop
     * from the main greenlet) would block that hub's thread on a monitor only the hub can free.
     */
    private synchronized CompletableFuture<Void> hubsClosed() {
        if (hubsClosed == null) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            hubsClosed = closed;
            Thread.ofPlatform().daemon().name(hubs.get(0).thread().getName() + "-closer").start(() -> {
                for (Hub hub : hubs) {
                    // its own shard asked it to close; a hub already closed returns at once, so join its thread too
                    hub.close();
                    joinUninterruptibly(hub.thread());
                }
                closed.complete(null);
            });
        }
        return hubsClosed;
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return hubs.size() + " hubs on " + (bound instanceof InetSocketAddress inet ? inet : bound);
    }
}
