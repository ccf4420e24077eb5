package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.socketio.parser.Packet;
import dev.switchboard.socketio.parser.PacketType;
import dev.switchboard.socketio.parser.SocketIoParser;
import dev.switchboard.testkit.Await;

/** The Socket.IO layer with the msgpack parser, against in-memory Engine.IO sessions. */
class MsgpackCoreTest {
    private static final Duration WAIT = Duration.ofSeconds(15); // a deadline, not a pause: generous for a loaded machine
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SocketIoParser.Encoder CLIENT = SocketIoParser.MSGPACK.encoder(MAPPER); // same map format
    private static final SocketIoParser.Decoder READ = SocketIoParser.MSGPACK.decoders(MAPPER, 10).get();

    private final SocketIoCore core = new SocketIoCore(new ServerSettings(Duration.ofSeconds(45), Duration.ofSeconds(30),
            4, 10, null, null, InboundLimit.DEFAULT, SocketIoParser.MSGPACK), MAPPER, InMemoryAdapter::new);

    @AfterEach
    void stop() {
        core.stopAccepting();
        core.closeAllConnections("server shutting down");
        core.shutdown(System.nanoTime() + Duration.ofSeconds(2).toNanos());
    }

    private FakeEngineSocket connect(String namespace) throws Exception {
        FakeEngineSocket engine = new FakeEngineSocket();
        core.accept(engine);
        engine.receiveBinary(CLIENT.encode(PacketType.CONNECT, namespace, Packet.NO_ACK, null)[0].binary());
        Packet reply = READ.decodeBinary(engine.nextBatch(WAIT)[0].binary());
        assertThat(reply.type()).isEqualTo(PacketType.CONNECT);
        assertThat(reply.data().path("sid").asText()).hasSize(20);
        return engine;
    }

    @Test
    void aBroadcastIsEncodedOnceIntoOneBinaryMessageSharedByEveryRecipient() throws Exception {
        NamespaceImpl ns = core.of("/b");
        ns.onConnection(s -> s.join("room"));
        FakeEngineSocket a = connect("/b");
        FakeEngineSocket b = connect("/b");
        FakeEngineSocket c = connect("/b");
        Await.until(() -> ns.rooms().getOrDefault("room", 0) == 3, WAIT, "three in room");

        assertThat(ns.to("room").emit("tick", Map.of("n", 1), new byte[] {3})).isEqualTo(3);

        EngineMessage[] ma = a.nextBatch(WAIT);
        EngineMessage[] mb = b.nextBatch(WAIT);
        EngineMessage[] mc = c.nextBatch(WAIT);
        assertThat(ma).hasSize(1);
        assertThat(ma[0]).isSameAs(mb[0]).isSameAs(mc[0]);
        Packet tick = READ.decodeBinary(ma[0].binary());
        assertThat(tick.namespace()).isEqualTo("/b");
        assertThat(tick.data().get(0).asText()).isEqualTo("tick");
        assertThat(tick.data().get(2).binaryValue()).containsExactly(3);
    }

    @Test
    void eventsAndAcksTravelAsMsgpack() throws Exception {
        core.of("/").onConnection(s -> s.on("echo", ev -> ev.ack(ev.args().toArray())));
        FakeEngineSocket engine = connect("/");
        engine.receiveBinary(CLIENT.encodeEvent("/", "echo", new Object[] {"hi", new byte[] {1, 2}}, 9)[0].binary());
        Packet ack = READ.decodeBinary(engine.nextBatch(WAIT)[0].binary());
        assertThat(ack.type()).isEqualTo(PacketType.ACK);
        assertThat(ack.ackId()).isEqualTo(9);
        assertThat(ack.data().get(0).asText()).isEqualTo("hi");
        assertThat(ack.data().get(1).binaryValue()).containsExactly(1, 2);
    }

    @Test
    void aClientWithTheDefaultParserIsClosedWithAParseError() throws Exception {
        FakeEngineSocket engine = new FakeEngineSocket();
        core.accept(engine);
        engine.receive("0");
        assertThat(engine.awaitClosed(WAIT)).isTrue();
        assertThat(engine.closeReason.get()).isEqualTo("parse error");
    }
}
