package dev.switchboard.bench.jmh;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.socketio.parser.Packet;
import dev.switchboard.socketio.parser.PacketDecoder;
import dev.switchboard.socketio.parser.PacketEncoder;

/** The Socket.IO v5 packet encoder and decoder of the engine, on the packets Switchboard sends and receives most. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PacketCodecBench {
    private final ObjectMapper mapper = new ObjectMapper();
    private PacketEncoder encoder;
    private PacketDecoder decoder;
    private Map<String, Object> logLine;
    private JsonNode emitData;
    private Object[] logArgs;
    private Object[] binaryArgs;

    @Setup
    public void setup() throws Exception {
        encoder = new PacketEncoder(mapper);
        decoder = new PacketDecoder(mapper, PacketDecoder.DEFAULT_MAX_ATTACHMENTS);
        logLine = new LinkedHashMap<>();
        logLine.put("containerId", "3f2a9c1be0d4");
        logLine.put("stream", "stdout");
        logLine.put("timestamp", "2026-11-21T23:59:59.123456789Z");
        logLine.put("line", "GET /api/v1/items?page=2 200 12.3ms - 5321 bytes");
        logArgs = new Object[] {logLine};
        emitData = mapper.readTree("{\"t\":1234567890123,\"status\":\"running\",\"progress\":0.42,\"step\":\"build\"}");
        binaryArgs = new Object[] {new byte[1024]};
    }

    /** A /services `logs` event with a map payload, as a producer emits it. */
    @Benchmark
    public EngineMessage[] encodeLogEvent() {
        return encoder.encodeEvent("/services", "logs", logArgs, Packet.NO_ACK);
    }

    /** A POST /emit payload (already a JsonNode) to /mcp. */
    @Benchmark
    public EngineMessage[] encodeEmitJsonNode() {
        return encoder.encodeEvent("/mcp", "progress", new Object[] {emitData}, Packet.NO_ACK);
    }

    /** An event with one 1 KiB binary attachment (placeholder packet + binary message). */
    @Benchmark
    public EngineMessage[] encodeBinaryEvent() {
        return encoder.encodeEvent("/files", "chunk", binaryArgs, Packet.NO_ACK);
    }

    /** The WebSocket frame payload bytes of an encoded event (done once per broadcast). */
    @Benchmark
    public byte[] encodeLogEventToFrameBytes() {
        return encoder.encodeEvent("/services", "logs", logArgs, Packet.NO_ACK)[0].textFrameBytes();
    }

    /** A client `join` with an ack id. */
    @Benchmark
    public Packet decodeJoin() throws Exception {
        return decoder.decodeText("2/mcp,17[\"join\",\"execution-42\"]");
    }

    /** A client event with an object payload. */
    @Benchmark
    public Packet decodeSubscribe() throws Exception {
        return decoder.decodeText("2/services,[\"subscribe:logs\",{\"containerId\":\"3f2a9c1be0d4\",\"tail\":100,\"timestamps\":true}]");
    }

    /** A namespace CONNECT with auth. */
    @Benchmark
    public Packet decodeConnect() throws Exception {
        return decoder.decodeText("0/system,{\"token\":\"abcdefghijklmnopqrstuvwxyz012345\"}");
    }
}
