package dev.switchboard.emitapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.AllocatedBytes;

/**
 * What one {@code POST /emit} broadcast allocates on the thread that answers it, for the benchmark's request: a
 * room of a namespace keeping a history, as /mcp does, so the broadcast is encoded and recorded even with nobody in
 * the room. Each byte is paid on every request (issue #20 part 3: young pauses drive the p99).
 */
class EmitterAllocationTest {
    private static final byte[] BENCH_BODY = ("{\"namespace\":\"/mcp\",\"room\":\"bench\",\"event\":\"bench\","
            + "\"data\":{\"t\":0,\"p\":\"" + "x".repeat(64) + "\"}}").getBytes(StandardCharsets.UTF_8);

    private final SocketIoServer io = SocketIoServer.builder()
            .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build();

    @AfterEach
    void stop() {
        io.close();
    }

    /** 2,635 bytes per emit before the cuts of issue #20 part 3, ~1,780 after. */
    @Test
    void anEmitToARecordedRoomStaysUnderItsBudget() {
        Namespace mcp = io.of("/mcp");
        mcp.history(room -> mcp.socket(room) == null, 100, Duration.ofMinutes(10));
        Emitter emitter = new Emitter(new NamespacesView(() -> List.of(mcp)), new SwitchboardMetrics());
        EmitRequest request = EmitRequestReader.read(BENCH_BODY);

        long bytes = AllocatedBytes.perCall(() -> emitter.emit(request));

        assertThat(bytes).as("bytes allocated per emit").isLessThan(2_300);
    }
}
