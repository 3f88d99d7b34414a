package dev.gevent.tck.net;

import static dev.gevent.tck.net.Datagrams.bindIpv4;
import static dev.gevent.tck.net.Datagrams.bindIpv6;
import static dev.gevent.tck.net.Datagrams.receiveText;
import static dev.gevent.tck.net.Datagrams.send;
import static dev.gevent.tck.net.Datagrams.text;
import static dev.gevent.tck.net.EchoPeer.randomBytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gevent.Gevent;
import dev.gevent.Greenlet;
import dev.gevent.GreenletExit;
import dev.gevent.Timeout;
import dev.gevent.event.AsyncResult;
import dev.gevent.socket.DatagramSocket;
import dev.gevent.tck.GeventTck;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A cooperative UDP socket behaves as gevent's {@code SOCK_DGRAM} socket: datagrams of every size
 * from 0 to 65,507 bytes cross IPv4 and IPv6 loopback whole, with the sender's address; what does
 * not fit the buffer is discarded; {@code receive} blocks only its greenlet, and its timeout, a kill
 * or a {@link Timeout} withdraw it so that nothing stays pending and the socket serves the next
 * caller; {@code close} wakes receivers, from any thread; greenlets that share the socket take
 * turns first come first served, and a kill while waiting for a turn loses nobody's turn; a
 * {@code java.net.DatagramSocket} peer interoperates; bad input fails with the documented
 * exceptions.
 */
@GeventTck
public class DatagramSocketTck {
    /** The largest UDP payload over IPv4: 65,535 less the IPv4 and UDP headers. */
    private static final int MAX_IPV4_DATAGRAM = 65_507;
    /** Room for several of the largest datagrams; the kernel caps what it grants. */
    private static final int LARGE_BUFFER = 1 << 20;
    private static final Duration SHORT = Duration.ofMillis(50);
    /** Far below the test's time limit: a wait that ended this fast did not hang on something left pending. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    /** Bounds a receive that must succeed, so that a lost datagram fails the test with a clear cause. */
    private static final Duration RECEIVE_LIMIT = Duration.ofSeconds(10);
    private static final int MANY = 100;

    @Test
    void roundTripOverIpv4GivesEachEndTheSendersAddress() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            send(a, "ping", b.localAddress());
            ByteBuffer atB = ByteBuffer.allocate(16);
            assertEquals(a.localAddress(), b.receive(atB));
            assertEquals("ping", text(atB.flip()));

            send(b, "pong", a.localAddress());
            ByteBuffer atA = ByteBuffer.allocate(16);
            assertEquals(b.localAddress(), a.receive(atA));
            assertEquals("pong", text(atA.flip()));
        }
    }

    @Test
    void roundTripOverIpv6LoopbackGivesTheSendersAddress() throws Exception {
        try (DatagramSocket a = bindIpv6(); DatagramSocket b = bindIpv6()) {
            assertInstanceOf(Inet6Address.class, a.localAddress().getAddress());
            send(a, "over ::1", b.localAddress());
            ByteBuffer dst = ByteBuffer.allocate(16);
            SocketAddress sender = b.receive(dst);
            assertEquals(a.localAddress(), sender);
            assertEquals("over ::1", text(dst.flip()));
        }
    }

    @Test
    void bindingPortZeroGivesAFreePortThatLocalAddressReports() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            assertEquals(Loopback.IPV4, a.localAddress().getAddress());
            assertNotEquals(0, a.localAddress().getPort(), "port 0 asks for a free port, which the socket reports");
            assertNotEquals(a.localAddress().getPort(), b.localAddress().getPort());
        }
    }

    @Test
    void anEmptyDatagramArrivesAsADatagramOfItsOwn() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            a.send(ByteBuffer.allocate(0), b.localAddress());
            send(a, "after", b.localAddress());
            ByteBuffer dst = ByteBuffer.allocate(16);
            assertEquals(a.localAddress(), b.receive(dst), "the empty datagram has a sender like any other");
            assertEquals(0, dst.position());
            assertEquals("after", receiveText(b), "the empty datagram was not merged with the next one");
        }
    }

    @Test
    void theLargestIpv4DatagramArrivesWhole() throws Exception {
        byte[] data = randomBytes(MAX_IPV4_DATAGRAM);
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            a.setOption(StandardSocketOptions.SO_SNDBUF, LARGE_BUFFER);
            b.setOption(StandardSocketOptions.SO_RCVBUF, LARGE_BUFFER);
            ByteBuffer src = ByteBuffer.wrap(data);
            a.send(src, b.localAddress());
            assertEquals(0, src.remaining(), "send consumes the whole datagram");
            ByteBuffer dst = ByteBuffer.allocate(MAX_IPV4_DATAGRAM + 1);
            assertEquals(a.localAddress(), b.receive(dst));
            assertEquals(MAX_IPV4_DATAGRAM, dst.position());
            byte[] got = new byte[MAX_IPV4_DATAGRAM];
            dst.flip().get(got);
            assertArrayEquals(data, got);
        }
    }

    @Test
    void aDatagramOverTheIpv4LimitIsRefusedAndTheSocketStaysUsable() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            a.setOption(StandardSocketOptions.SO_SNDBUF, LARGE_BUFFER);
            ByteBuffer tooLarge = ByteBuffer.allocate(MAX_IPV4_DATAGRAM + 1);
            assertThrows(IOException.class, () -> a.send(tooLarge, b.localAddress()));
            send(a, "still usable", b.localAddress());
            assertEquals("still usable", receiveText(b));
        }
    }

    @Test
    void whatDoesNotFitTheBufferIsDiscardedAndTheNextDatagramIsIntact() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            send(a, "0123456789", b.localAddress());
            send(a, "next", b.localAddress());
            ByteBuffer dst = ByteBuffer.allocate(16);
            dst.put(0, (byte) '<').put(1, (byte) '<').put(6, (byte) '>');
            dst.position(2).limit(6);
            assertEquals(a.localAddress(), b.receive(dst));
            assertEquals(6, dst.position(), "the datagram fills the buffer from its position up to its limit");
            assertEquals("<<0123", text(dst.flip()));
            assertEquals('>', dst.array()[6], "nothing is written past the limit");
            assertEquals("next", receiveText(b), "the rest of the long datagram is gone, not delivered as the next one");
        }
    }

    @Test
    void receiveBlocksOnlyTheCallingGreenlet() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            Greenlet<String> receiver = Gevent.spawn(() -> receiveText(b));
            Greenlet<String> other = Gevent.spawn(() -> "ran");
            Gevent.sleep();
            assertFalse(receiver.dead(), "nothing was sent yet");
            assertEquals("ran", other.get(), "another greenlet ran while the receiver waited");
            send(a, "late", b.localAddress());
            assertEquals("late", receiver.get());
        }
    }

    @Test
    void receiveTimeoutRaisesSocketTimeoutExceptionAndTheSocketStaysUsable() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            b.setTimeout(SHORT);
            assertEquals(SHORT, b.timeout());
            long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> b.receive(ByteBuffer.allocate(16)));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(PROMPTLY) < 0,
                    "the receive gave up after its timeout");
            assertTrue(Gevent.getHub().join(PROMPTLY), "the timed-out receive left nothing pending in the loop");

            b.setTimeout(RECEIVE_LIMIT);
            send(a, "after the timeout", b.localAddress());
            assertEquals("after the timeout", receiveText(b));
        }
    }

    @Test
    void killDuringReceiveWithdrawsItAndTheNextGreenletGetsTheNextDatagram() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            Greenlet<String> killed = Gevent.spawn(() -> receiveText(b));
            Gevent.sleep();
            assertFalse(killed.dead());
            killed.kill();
            assertTrue(killed.dead());
            assertNull(killed.value(), "the killed receive returned nothing");
            assertTrue(Gevent.getHub().join(PROMPTLY), "the killed receive left nothing pending in the loop");

            Greenlet<String> next = Gevent.spawn(() -> receiveText(b));
            Gevent.sleep();
            send(a, "for the next one", b.localAddress());
            assertEquals("for the next one", next.get(), "the datagram was not swallowed by the withdrawn receive");
        }
    }

    @Test
    void timeoutDuringReceiveWithdrawsItAndTheSocketStaysUsable() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            Greenlet<Boolean> timedOut = Gevent.spawn(() -> {
                Timeout timeout = Timeout.startNew(SHORT);
                try {
                    b.receive(ByteBuffer.allocate(16));
                    return false;
                } catch (Timeout t) {
                    assertSame(timeout, t, "the greenlet's own Timeout ended the receive");
                    return true;
                } finally {
                    timeout.cancel();
                }
            });
            assertTrue(timedOut.get(), "the Timeout interrupted the receive");
            assertTrue(Gevent.getHub().join(PROMPTLY), "the interrupted receive left nothing pending in the loop");

            b.setTimeout(RECEIVE_LIMIT);
            send(a, "after the Timeout", b.localAddress());
            assertEquals("after the Timeout", receiveText(b));
        }
    }

    @Test
    void closeWakesABlockedReceiverWithAsynchronousCloseException() throws Exception {
        DatagramSocket b = bindIpv4();
        Greenlet<IOException> receiver = Gevent.spawn(() -> receiveFailure(b));
        Gevent.sleep();
        assertFalse(receiver.dead());
        b.close();
        assertInstanceOf(AsynchronousCloseException.class, receiver.get());
        assertFalse(b.isOpen());
    }

    @Test
    void closeFromAPlainThreadWakesABlockedReceiver() throws Exception {
        DatagramSocket b = bindIpv4();
        Greenlet<IOException> receiver = Gevent.spawn(() -> receiveFailure(b));
        Gevent.sleep();
        AsyncResult<Void> closed = new AsyncResult<>();
        Thread.ofPlatform().name("datagram-closer").start(() -> {
            try {
                b.close();
                closed.set(null);
            } catch (Throwable e) {
                closed.setException(e);
            }
        });
        assertInstanceOf(AsynchronousCloseException.class, receiver.get(RECEIVE_LIMIT));
        closed.get(RECEIVE_LIMIT);
        assertFalse(b.isOpen());
    }

    @Test
    void closeWakesTheGreenletsWaitingForTheirTurnToo() throws Exception {
        DatagramSocket b = bindIpv4();
        List<Greenlet<IOException>> receivers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            receivers.add(Gevent.spawn(() -> receiveFailure(b)));
        }
        Gevent.sleep();
        b.close();
        for (Greenlet<IOException> receiver : receivers) {
            assertInstanceOf(AsynchronousCloseException.class, receiver.get(),
                    "a receive under way when the socket closed, waiting for its turn or not");
        }
    }

    private static IOException receiveFailure(DatagramSocket socket) {
        try {
            socket.receive(ByteBuffer.allocate(16));
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    @Test
    void operationsAfterCloseFailWithClosedChannelException() throws Exception {
        DatagramSocket a = bindIpv4();
        InetSocketAddress self = a.localAddress();
        a.close();
        assertFalse(a.isOpen());
        assertThrows(ClosedChannelException.class, () -> a.receive(ByteBuffer.allocate(16)));
        assertThrows(ClosedChannelException.class, () -> a.send(ByteBuffer.allocate(1), self));
        assertThrows(ClosedChannelException.class, () -> a.setOption(StandardSocketOptions.SO_RCVBUF, 4096));
        assertThrows(ClosedChannelException.class, () -> a.getOption(StandardSocketOptions.SO_RCVBUF));
        a.close();
        assertFalse(a.isOpen(), "close is idempotent");
    }

    @Test
    void manyGreenletsReceivingOnOneSocketEachGetOneDatagramInTurn() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            b.setOption(StandardSocketOptions.SO_RCVBUF, LARGE_BUFFER);
            List<Integer> finished = new ArrayList<>();
            List<Greenlet<String>> receivers = new ArrayList<>();
            for (int i = 0; i < MANY; i++) {
                int id = i;
                receivers.add(Gevent.spawn(() -> {
                    String got = receiveText(b);
                    finished.add(id);
                    return got;
                }));
            }
            Gevent.sleep();
            assertTrue(receivers.stream().noneMatch(Greenlet::dead), "every receiver is waiting");
            for (int i = 0; i < MANY; i++) {
                send(a, Integer.toString(i), b.localAddress());
            }
            Set<String> received = new HashSet<>();
            for (Greenlet<String> receiver : receivers) {
                received.add(receiver.get(RECEIVE_LIMIT));
            }
            assertEquals(numbers(MANY), received, "each datagram went to exactly one receiver");
            assertEquals(IntStream.range(0, MANY).boxed().toList(), finished,
                    "the receivers took their turns in the order they asked");
        }
    }

    @Test
    void manyGreenletsSendingOnOneSocketAtOnceAllGetSent() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            b.setOption(StandardSocketOptions.SO_RCVBUF, LARGE_BUFFER);
            b.setTimeout(RECEIVE_LIMIT);
            List<Greenlet<Void>> senders = new ArrayList<>();
            for (int i = 0; i < MANY; i++) {
                String payload = Integer.toString(i);
                senders.add(Gevent.spawn(() -> send(a, payload, b.localAddress())));
            }
            Set<String> received = new HashSet<>();
            for (int i = 0; i < MANY; i++) {
                received.add(receiveText(b));
            }
            for (Greenlet<Void> sender : senders) {
                sender.get();
            }
            assertEquals(numbers(MANY), received);
        }
    }

    private static Set<String> numbers(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString).collect(Collectors.toSet());
    }

    @Test
    void killingAGreenletWaitingForItsTurnLosesNoTurnForTheOthers() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            Greenlet<String> first = Gevent.spawn(() -> receiveText(b));
            Greenlet<String> killed = Gevent.spawn(() -> receiveText(b));
            Greenlet<String> third = Gevent.spawn(() -> receiveText(b));
            Gevent.sleep();
            killed.kill();
            send(a, "one", b.localAddress());
            send(a, "two", b.localAddress());
            assertEquals(Set.of("one", "two"), Set.of(first.get(RECEIVE_LIMIT), third.get(RECEIVE_LIMIT)));
            assertNull(killed.value());
            assertTrue(Gevent.getHub().join(PROMPTLY), "nothing is left pending");
        }
    }

    @Test
    void killingTheGreenletJustHandedTheTurnPassesItOn() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            AtomicReference<Greenlet<?>> next = new AtomicReference<>();
            Greenlet<String> first = Gevent.spawn(() -> {
                String got = receiveText(b);
                // The turn has just been handed to the next greenlet, which has not run yet.
                next.get().killAsync(new GreenletExit("killed as its turn came"));
                return got;
            });
            Greenlet<String> killed = Gevent.spawn(() -> receiveText(b));
            next.set(killed);
            Greenlet<String> third = Gevent.spawn(() -> receiveText(b));
            Gevent.sleep();
            send(a, "one", b.localAddress());
            assertEquals("one", first.get(RECEIVE_LIMIT));
            killed.join();
            assertNull(killed.value());
            send(a, "two", b.localAddress());
            assertEquals("two", third.get(RECEIVE_LIMIT), "the turn went on to the greenlet after the killed one");
        }
    }

    @Test
    void aJavaNetDatagramSocketPeerInOneGreenletInteroperates() throws Exception {
        try (DatagramSocket socket = bindIpv4();
                java.net.DatagramSocket peer = new java.net.DatagramSocket(new InetSocketAddress(Loopback.IPV4, 0))) {
            peer.setSoTimeout((int) RECEIVE_LIMIT.toMillis());
            // The JDK socket blocks its greenlet only: the gevent socket's receive in the main greenlet runs meanwhile.
            Greenlet<SocketAddress> echo = Gevent.spawn(() -> {
                DatagramPacket packet = new DatagramPacket(new byte[64], 64);
                peer.receive(packet);
                String request = new String(packet.getData(), 0, packet.getLength(), UTF_8);
                byte[] reply = request.toUpperCase(java.util.Locale.ROOT).getBytes(UTF_8);
                peer.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                return packet.getSocketAddress();
            });
            Gevent.sleep();
            send(socket, "hello", peer.getLocalSocketAddress());
            socket.setTimeout(RECEIVE_LIMIT);
            ByteBuffer dst = ByteBuffer.allocate(64);
            assertEquals(peer.getLocalSocketAddress(), socket.receive(dst));
            assertEquals("HELLO", text(dst.flip()));
            assertEquals(socket.localAddress(), echo.get(), "the JDK peer saw the gevent socket's address");
        }
    }

    @Test
    void nullArgumentsAreRefusedWithNullPointerException() throws Exception {
        assertThrows(NullPointerException.class, () -> DatagramSocket.bind(null));
        try (DatagramSocket a = bindIpv4()) {
            assertThrows(NullPointerException.class, () -> a.send(ByteBuffer.allocate(1), null));
            assertThrows(NullPointerException.class, () -> a.send(null, a.localAddress()));
            assertThrows(NullPointerException.class, () -> a.receive(null));
            assertTrue(a.isOpen(), "refused input leaves the socket open");
        }
    }

    @Test
    void sendingToAHostThatDoesNotResolveIsUnknownHostException() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            InetSocketAddress nowhere = InetSocketAddress.createUnresolved("no-such-host.invalid", 9);
            assertThrows(UnknownHostException.class, () -> send(a, "lost", nowhere));
            send(a, "still usable", b.localAddress());
            assertEquals("still usable", receiveText(b));
        }
    }

    @Test
    void bindingToAHostThatDoesNotResolveIsUnknownHostException() {
        assertThrows(UnknownHostException.class,
                () -> DatagramSocket.bind(InetSocketAddress.createUnresolved("no-such-host.invalid", 0)));
    }

    @Test
    void anUnresolvedTargetIsResolvedBeforeSending() throws Exception {
        try (DatagramSocket a = bindIpv4(); DatagramSocket b = bindIpv4()) {
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("127.0.0.1", b.localAddress().getPort());
            send(a, "resolved", unresolved);
            assertEquals("resolved", receiveText(b));
        }
    }

    @Test
    void useFromAnotherThreadIsIllegalState() throws Exception {
        try (DatagramSocket a = bindIpv4()) {
            AsyncResult<Throwable> outcome = new AsyncResult<>();
            Thread.ofPlatform().name("datagram-intruder").start(() -> {
                try {
                    a.receive(ByteBuffer.allocate(16));
                    outcome.set(null);
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            assertInstanceOf(IllegalStateException.class, outcome.get(RECEIVE_LIMIT));
            assertTrue(a.isOpen());
        }
    }
}
