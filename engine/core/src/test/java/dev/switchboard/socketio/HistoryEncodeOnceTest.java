package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineIoOptions;

/**
 * A broadcast to a room that keeps history (the /mcp rooms, often with nobody in them) is serialized once: the
 * encoding with its offset is the one without it plus the offset (see HistoryReplayTest for what is replayed).
 */
class HistoryEncodeOnceTest {
    /** An argument that counts how often Jackson writes it. */
    private record Counted(String value) {
    }

    @Test
    void aBroadcastToAHistoryRoomWithNoMemberIsSerializedOnce() {
        AtomicInteger serialized = new AtomicInteger();
        ObjectMapper mapper = new ObjectMapper().registerModule(new SimpleModule().addSerializer(Counted.class,
                new JsonSerializer<>() {
                    @Override
                    public void serialize(Counted value, JsonGenerator gen, SerializerProvider provider)
                            throws IOException {
                        serialized.incrementAndGet();
                        gen.writeString(value.value());
                    }
                }));
        try (SocketIoServer io = SocketIoServer.builder().objectMapper(mapper)
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build()) {
            Namespace ns = io.of("/hist").history("thread-.*", 5, null);
            io.start();
            for (int i = 1; i <= 3; i++) {
                ns.to("thread-1").emit("msg", new Counted("v" + i), i);
                assertThat(serialized.get()).as("after broadcast " + i).isEqualTo(i);
            }
        }
    }
}
