package dev.gevent.tck.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.Hub;
import dev.gevent.tck.GeventTck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gevent.monkey's answer for the blocking calls it patches ({@code time.sleep}, sockets,
 * {@code threading} locks and queues): the JDK's own {@code Thread.sleep}, {@code java.net}
 * sockets, {@code java.util.concurrent} locks and queues and {@code synchronized} cooperate inside
 * greenlets with no patching, while the hub keeps running the other greenlets and never runs two at
 * once.
 */
@GeventTck
public class BlockingCallsTck {

    @Test
    void threadSleepInFiftyGreenletsSleepsThemTogether() {
        int greenlets = 50;
        long sleepMs = 200;
        try (Cooperation coop = Cooperation.start()) {
            long start = System.nanoTime();
            List<Greenlet<Integer>> all = new ArrayList<>();
            for (int i = 0; i < greenlets; i++) {
                int id = i;
                all.add(Gevent.spawn(() -> {
                    coop.threadSleep(sleepMs);
                    return id;
                }));
            }
            for (int i = 0; i < greenlets; i++) {
                assertEquals(i, all.get(i).get());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.toMillis() < greenlets * sleepMs / 2,
                    greenlets + " x Thread.sleep(" + sleepMs + ") took " + took.toMillis() + " ms: they did not sleep together");
            coop.assertCooperated();
        }
    }

    @Test
    void reentrantLockKeepsMutualExclusionAcrossASwitchInsideTheCriticalSection() {
        ReentrantLock lock = new ReentrantLock();
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger mostHolders = new AtomicInteger();
        List<Integer> done = new ArrayList<>();
        try (Cooperation coop = Cooperation.start()) {
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int id = i;
                all.add(Gevent.spawn(() -> {
                    coop.step();
                    // The contenders park here while the holder is switched out below.
                    lock.lock();
                    try {
                        mostHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        coop.longCall(() -> {
                            Gevent.sleep(Duration.ofMillis(20));
                            return null;
                        });
                        done.add(id);
                        holders.decrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                }));
            }
            Gevent.joinAll(all);
            for (Greenlet<Void> g : all) {
                assertTrue(g.successful(), g + " failed: " + g.exception());
            }
            assertEquals(1, mostHolders.get(), "two greenlets held the lock at once");
            assertEquals(List.of(0, 1, 2, 3, 4), done.stream().sorted().toList());
            coop.assertCooperated();
        }
    }

    @Test
    void contendedSynchronizedBlockDoesNotPinTheHub() {
        Object monitor = new Object();
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger mostHolders = new AtomicInteger();
        try (Cooperation coop = Cooperation.start()) {
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                all.add(Gevent.spawn(() -> {
                    coop.step();
                    // Since JDK 24 a virtual thread blocked on a monitor, or sleeping inside one,
                    // lets its carrier go: here, lets the hub run the holder and the ticker.
                    synchronized (monitor) {
                        mostHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        coop.threadSleep(20);
                        holders.decrementAndGet();
                    }
                }));
            }
            Gevent.joinAll(all);
            for (Greenlet<Void> g : all) {
                assertTrue(g.successful(), g + " failed: " + g.exception());
            }
            assertEquals(1, mostHolders.get(), "two greenlets held the monitor at once");
            coop.assertCooperated();
        }
    }

    @Test
    void linkedBlockingQueueCarriesItemsFromAProducerToASlowConsumer() {
        int items = 10;
        // Capacity 1: the producer blocks in put() until the slow consumer has taken the last item.
        LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>(1);
        AtomicInteger produced = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        AtomicInteger mostAhead = new AtomicInteger();
        try (Cooperation coop = Cooperation.start()) {
            Greenlet<List<Integer>> consumer = Gevent.spawn(() -> {
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < items; i++) {
                    coop.threadSleep(20);
                    got.add(queue.take());
                    consumed.incrementAndGet();
                    coop.step();
                }
                return got;
            });
            Greenlet<Void> producer = Gevent.spawn(() -> {
                for (int i = 1; i <= items; i++) {
                    coop.step();
                    queue.put(i);
                    mostAhead.accumulateAndGet(produced.incrementAndGet() - consumed.get(), Math::max);
                }
            });
            assertEquals(IntStream.rangeClosed(1, items).boxed().toList(), consumer.get());
            producer.get();
            // One item in the queue, and one the consumer has taken but not yet counted.
            assertTrue(mostAhead.get() <= 2, "the producer got " + mostAhead.get() + " items ahead: put() did not block");
            coop.assertCooperated();
        }
    }

    @Test
    void blockingSocketEchoBetweenTwoGreenletsOfOneHub() throws IOException {
        List<String> messages = List.of("one", "two", "three", "four", "five");
        List<String> log = new ArrayList<>();
        try (Cooperation coop = Cooperation.start();
                ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Greenlet<Integer> echo = Gevent.spawn(() -> {
                log.add("accepting");
                coop.step();
                try (Socket peer = listener.accept()) {
                    log.add("accepted");
                    coop.step();
                    BufferedReader in = reader(peer);
                    PrintWriter out = writer(peer);
                    int echoed = 0;
                    String line;
                    while ((line = in.readLine()) != null) {
                        coop.step();
                        // The client waits in read() meanwhile.
                        coop.threadSleep(20);
                        out.println(line);
                        echoed++;
                    }
                    return echoed;
                }
            });
            Greenlet<List<String>> client = Gevent.spawn(() -> {
                log.add("connecting");
                coop.step();
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                    BufferedReader in = reader(socket);
                    PrintWriter out = writer(socket);
                    List<String> replies = new ArrayList<>();
                    for (String message : messages) {
                        out.println(message);
                        replies.add(coop.longCall(in::readLine));
                    }
                    return replies;
                }
            });
            assertEquals(messages, client.get());
            assertEquals(messages.size(), echo.get());
            // The echo greenlet blocked in accept() before the client ran: the hub went on meanwhile.
            assertEquals(List.of("accepting", "connecting", "accepted"), log);
            coop.assertCooperated();
        }
    }

    /**
     * The JDK starts the poller threads behind virtual-thread socket I/O lazily, as virtual threads
     * that inherit the scheduler of the thread that first needs them: a greenlet. They must not
     * die with that greenlet's hub, or socket I/O stops for every greenlet and virtual thread after.
     */
    @Test
    @Timeout(10)
    void jdkSocketsKeepWorkingInGreenletsAfterAnotherHubThatUsedThemIsClosed() throws Exception {
        Hub first = Hub.startThread("tck-jdk-io-first");
        try {
            assertEquals("on the first hub", first.spawn(() -> echoOnce("on the first hub")).get());
        } finally {
            first.close();
        }
        assertEquals("after it closed", echoOnce("after it closed"));
    }

    /** Echoes one line over loopback between two greenlets of the calling code's hub. */
    private static String echoOnce(String line) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 50, loopback)) {
            Greenlet<Void> echo = Gevent.spawn(() -> {
                try (Socket peer = listener.accept()) {
                    writer(peer).println(reader(peer).readLine());
                }
            });
            Greenlet<String> client = Gevent.spawn(() -> {
                try (Socket socket = new Socket(loopback, listener.getLocalPort())) {
                    writer(socket).println(line);
                    return reader(socket).readLine();
                }
            });
            String reply = client.get();
            echo.get();
            return reply;
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static PrintWriter writer(Socket socket) throws IOException {
        return new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
    }
}
