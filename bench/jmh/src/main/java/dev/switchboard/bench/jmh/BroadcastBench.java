package dev.switchboard.bench.jmh;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;
import dev.switchboard.socketio.BroadcastTarget;
import dev.switchboard.socketio.InMemoryAdapter;
import dev.switchboard.socketio.parser.Packet;
import dev.switchboard.socketio.parser.PacketEncoder;

/**
 * The engine's broadcast path above the transport: room lookup in {@link InMemoryAdapter}, one encode per
 * broadcast, hand-off of the shared messages to every member. The target here only consumes the frame bytes
 * (the real one queues them on a Netty channel): what this measures is the per-recipient cost of the engine's
 * own bookkeeping, to compare with the ~10 us per message the kernel's loopback send and receive cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BroadcastBench {
    @Param({"1000", "10000"})
    public int members;

    private InMemoryAdapter adapter;
    private BroadcastPacket packet;
    private BroadcastOptions toRoom;
    private BroadcastOptions toRoomExceptOne;
    private ConsumingTarget target;

    @Setup
    public void setup() {
        target = new ConsumingTarget(new PacketEncoder(new ObjectMapper()));
        adapter = new InMemoryAdapter(target);
        for (int i = 0; i < members; i++) {
            String id = "sid" + i;
            adapter.addAll(id, Set.of(id, "room-a"));
        }
        adapter.addAll("outsider", Set.of("outsider", "room-b"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("t", 1234567890123L);
        data.put("status", "running");
        packet = BroadcastPacket.of("/mcp", "progress", data);
        toRoom = new BroadcastOptions(Set.of("room-a"), Set.of(), false, true);
        toRoomExceptOne = new BroadcastOptions(Set.of("room-a"), Set.of("sid0"), false, true);
    }

    @Benchmark
    public int broadcastToRoom() {
        return adapter.broadcast(packet, toRoom);
    }

    @Benchmark
    public int broadcastToRoomExcept() {
        return adapter.broadcast(packet, toRoomExceptOne);
    }

    @Benchmark
    public void broadcastToRoomConsumed(Blackhole bh) {
        bh.consume(adapter.broadcast(packet, toRoom));
        bh.consume(target.bytes);
    }

    /** Encodes with the engine's encoder; "delivers" by reading the shared frame bytes. */
    static final class ConsumingTarget implements BroadcastTarget {
        private final PacketEncoder encoder;
        long bytes;

        ConsumingTarget(PacketEncoder encoder) {
            this.encoder = encoder;
        }

        @Override
        public String name() {
            return "/mcp";
        }

        @Override
        public EngineMessage[] encode(BroadcastPacket p) {
            return encoder.encodeEvent(p.namespace(), p.event(), p.args(), Packet.NO_ACK);
        }

        @Override
        public boolean deliver(String socketId, EngineMessage[] messages, boolean volatile_) {
            bytes += messages[0].textFrameBytes().length;
            return true;
        }
    }
}
