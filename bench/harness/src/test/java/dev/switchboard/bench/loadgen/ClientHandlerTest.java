package dev.switchboard.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class ClientHandlerTest {
    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void readsTheEmitTimeFromTheEventPayload() {
        ByteBuf in = buf("42/mcp,[\"bench\",{\"t\":123456789012345,\"p\":\"xx\"}]");
        assertThat(ClientHandler.readTimestamp(in, 0, in.writerIndex())).isEqualTo(123456789012345L);
    }

    @Test
    void readsANegativeEmitTime() {
        // System.nanoTime() may be negative
        ByteBuf in = buf("42/mcp,[\"bench\",{\"t\":-42}]");
        assertThat(ClientHandler.readTimestamp(in, 0, in.writerIndex())).isEqualTo(-42L);
    }

    @Test
    void reportsAMissingOrEmptyTimestamp() {
        ByteBuf none = buf("42/mcp,[\"bench\",{\"x\":1}]");
        ByteBuf empty = buf("42/mcp,[\"bench\",{\"t\":\"a\"}]");
        assertThat(ClientHandler.readTimestamp(none, 0, none.writerIndex())).isEqualTo(Long.MIN_VALUE);
        assertThat(ClientHandler.readTimestamp(empty, 0, empty.writerIndex())).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void readsOnlyInsideTheGivenRange() {
        ByteBuf in = buf("42/mcp,[\"bench\",{\"t\":77}]");
        int at = in.toString(StandardCharsets.UTF_8).indexOf("77");
        assertThat(ClientHandler.readTimestamp(in, 0, at + 1)).isEqualTo(7L);
    }

    @Test
    void matchesPrefixesAtAnOffset() {
        ByteBuf in = buf("xx42/mcp,[\"joined\",{\"room\":\"bench\"}]");
        byte[] joined = "42/mcp,[\"joined\"".getBytes(StandardCharsets.UTF_8);
        assertThat(ClientHandler.startsWith(in, 2, in.writerIndex() - 2, joined)).isTrue();
        assertThat(ClientHandler.startsWith(in, 0, in.writerIndex(), joined)).isFalse();
        assertThat(ClientHandler.indexOf(in, 0, in.writerIndex(), "room".getBytes(StandardCharsets.UTF_8))).isEqualTo(21);
    }

    @Test
    void clientFramesAreMaskedTextFrames() {
        ClientFrames frames = new ClientFrames("127.0.0.1", 3007, "/socket.io/", "/mcp", "bench", "bench");
        ByteBuf join = frames.join.duplicate();
        String payload = "42/mcp,[\"join\",\"bench\"]";
        assertThat((int) join.readUnsignedByte()).isEqualTo(0x81);
        assertThat((int) join.readUnsignedByte()).isEqualTo(0x80 | payload.length());
        assertThat(join.readInt()).isZero();
        assertThat(join.toString(StandardCharsets.UTF_8)).isEqualTo(payload);
        assertThat(frames.upgradeRequest.toString(StandardCharsets.US_ASCII))
                .startsWith("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n").endsWith("\r\n\r\n");
    }
}
