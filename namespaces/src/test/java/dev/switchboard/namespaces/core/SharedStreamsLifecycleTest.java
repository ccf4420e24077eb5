package dev.switchboard.namespaces.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.socketio.Socket;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeSocket;

/**
 * The per-topic lifecycle of {@link SharedStreams} with real socket.io-client subscribers and a producer whose
 * open can be held (a slow backend): whichever order subscribe, disconnect and the open's end come in, every
 * upstream opened is closed once nobody is left, and {@code activeStreams} counts exactly the open ones.
 */
class SharedStreamsLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final NodeClients clients = new NodeClients();
    private GateNamespace gate;
    private NamespaceTestServer server;

    @BeforeEach
    void start() {
        gate = new GateNamespace();
        server = NamespaceTestServer.start(gate);
    }

    @AfterEach
    void stop() {
        gate.producer.release.countDown();
        server.close();
    }

    private NodeSocket connect() {
        NodeSocket socket = clients.connect(server, WAIT);
        socket.awaitEvent("connected", WAIT);
        return socket;
    }

    /** The server's side of a client. */
    private Socket serverSide(NodeSocket client) {
        return gate.sockets.get(client.awaitEvent("connected", WAIT).get(0).path("id").asText());
    }

    @Test
    void aSubscribeThatRunsAfterItsSocketsDisconnectHandlerHoldsNothing() throws Exception {
        NodeSocket client = connect();
        Socket socket = serverSide(client);
        client.disconnect();
        Await.until(() -> gate.released.contains(socket.id()), WAIT, "the disconnect handler ran");

        // a subscribe that runs after the disconnect handler (an event that raced the close) must keep nothing
        gate.streams.subscribe(socket, "fast");

        assertThat(gate.streams.isSubscribed(socket, "fast")).isFalse();
        assertThat(gate.producer.open()).as("upstreams left open").isZero();
        assertThat(gate.activeStreams()).isZero();
    }

    @Test
    void aSlowOpenDoesNotHoldUpAnotherSocketsRelease() {
        NodeSocket fast = connect();
        Socket fastSide = serverSide(fast);
        assertThat(fast.emitWithAck("subscribe", WAIT, "fast").get(0).asBoolean()).isTrue();
        NodeSocket slow = connect();
        slow.emit("subscribe", "slow");
        Await.until(() -> gate.producer.waiting.get() == 1, WAIT, "the slow open started");

        fast.disconnect();
        Await.until(() -> gate.producer.closed.get() == 1 && gate.released.contains(fastSide.id()), Duration.ofSeconds(3),
                "the fast topic's upstream closed and the disconnect handler done while the slow one is still opening");
        assertThat(gate.activeStreams()).as("the one still opening is not running yet").isZero();

        gate.producer.release.countDown();
        Await.until(() -> gate.activeStreams() == 1, WAIT, "the slow topic opened");
        slow.disconnect();
        Await.until(() -> gate.producer.open() == 0 && gate.activeStreams() == 0, WAIT, "everything closed");
    }

    @Test
    void theLastSubscriberLeavingWhileItOpensClosesTheUpstreamItGets() {
        NodeSocket first = connect();
        NodeSocket second = connect();
        Socket firstSide = serverSide(first);
        Socket secondSide = serverSide(second);
        first.emit("subscribe", "slow");
        Await.until(() -> gate.producer.waiting.get() == 1, WAIT, "the slow open started");
        second.emit("subscribe", "slow");
        Await.until(() -> gate.streams.isSubscribed(secondSide, "slow"), WAIT, "the second waits for the same open");
        first.disconnect();
        second.disconnect();
        Await.until(() -> !firstSide.connected() && !secondSide.connected(), WAIT, "both gone");
        gate.producer.release.countDown();

        Await.until(() -> gate.producer.opened.get() == 1 && gate.producer.open() == 0, WAIT,
                "the upstream opened after everyone left is closed");
        assertThat(gate.activeStreams()).isZero();
        NodeSocket third = connect();
        assertThat(third.emitWithAck("subscribe", WAIT, "slow").get(0).asBoolean()).as("a fresh open").isTrue();
        assertThat(gate.activeStreams()).isEqualTo(1);
        third.disconnect();
        Await.until(() -> gate.producer.open() == 0 && gate.activeStreams() == 0, WAIT, "closed");
    }

    /** Topics named "slow..." open only once {@code release} is counted down. */
    static final class GatedProducer implements Producer<String> {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public Upstream open(String topic, StreamSink sink) throws ProducerException {
            if (topic.startsWith("slow")) {
                waiting.incrementAndGet();
                try {
                    if (!release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new ProducerException("BACKEND_UNAVAILABLE", "gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ProducerException("BACKEND_UNAVAILABLE", "interrupted");
                }
            }
            opened.incrementAndGet();
            AtomicInteger once = new AtomicInteger();
            return () -> {
                if (once.getAndIncrement() == 0) {
                    closed.incrementAndGet();
                }
            };
        }

        int open() {
            return opened.get() - closed.get();
        }
    }

    /** {@code subscribe "<topic>"} → ack true/false or {@code {code}}; disconnect releases everything. */
    static final class GateNamespace implements SwitchboardNamespace, RunningNamespace {
        final GatedProducer producer = new GatedProducer();
        final Map<String, Socket> sockets = new ConcurrentHashMap<>();
        final Set<String> released = ConcurrentHashMap.newKeySet();
        SharedStreams<String> streams;

        @Override
        public String name() {
            return "/gate";
        }

        @Override
        public RunningNamespace install(NamespaceContext context) {
            streams = context.sharedStreams("t", producer, t -> t);
            context.namespace().onConnection(socket -> {
                sockets.put(socket.id(), socket);
                socket.on("subscribe", event -> {
                    try {
                        String topic = event.arg(0).asText();
                        streams.subscribe(socket, topic);
                        if (event.wantsAck()) {
                            event.ack(streams.isSubscribed(socket, topic));
                        }
                    } catch (ProducerException e) {
                        if (event.wantsAck()) {
                            event.ack(Map.of("code", e.code()));
                        }
                    }
                });
                socket.onDisconnect(reason -> {
                    streams.unsubscribeAll(socket);
                    released.add(socket.id());
                });
                socket.emit("connected", Map.of("id", socket.id()));
            });
            return this;
        }

        @Override
        public int activeStreams() {
            return streams == null ? 0 : streams.activeStreams();
        }
    }
}
