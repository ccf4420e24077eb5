package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

/** Pre-built server frames read back by Netty's client-side frame decoder, at each of the three length forms. */
class WebSocketFramesTest {

    private static Object decodeAsClient(byte[] frame) {
        // a client expects unmasked frames from the server
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false)
                .maxFramePayloadLength(1 << 20).build();
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(config));
        client.writeInbound(Unpooled.wrappedBuffer(frame));
        Object decoded = client.readInbound();
        client.finishAndReleaseAll();
        return decoded;
    }

    @Test
    void textFramesOfEveryLengthForm() {
        for (int length : new int[] {0, 1, 125, 126, 200, 65_535, 65_536, 70_000}) {
            String text = "4" + "é".repeat(length / 2) + "x".repeat(length % 2);
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            Object decoded = decodeAsClient(WebSocketFrames.serverFrame(false, payload));
            assertThat(decoded).isInstanceOf(TextWebSocketFrame.class);
            TextWebSocketFrame frame = (TextWebSocketFrame) decoded;
            assertThat(frame.isFinalFragment()).isTrue();
            assertThat(frame.text()).isEqualTo(text);
            frame.release();
        }
    }

    @Test
    void binaryFrame() {
        byte[] data = {4, 0, (byte) 0xff, 7};
        Object decoded = decodeAsClient(WebSocketFrames.serverFrame(true, data));
        assertThat(decoded).isInstanceOf(BinaryWebSocketFrame.class);
        BinaryWebSocketFrame frame = (BinaryWebSocketFrame) decoded;
        byte[] read = new byte[frame.content().readableBytes()];
        frame.content().readBytes(read);
        assertThat(read).containsExactly(data);
        frame.release();
    }

    @Test
    void messageFramesOnceAndSharesTheBytes() {
        EngineMessage message = EngineMessage.text("2[\"tick\",1]");
        assertThat(message.wsWire(4)).isSameAs(message.wsWire(4));
        assertThat(decodeAsClient(bytes(message.wsWire(4)))).isInstanceOfSatisfying(TextWebSocketFrame.class,
                f -> assertThat(f.text()).isEqualTo("42[\"tick\",1]"));
        EngineMessage binary = EngineMessage.binary(new byte[] {1, 2});
        // Engine.IO v3 prefixes binary with 0x04, v4 does not
        assertThat(bytes(binary.wsWire(3))).endsWith(4, 1, 2);
        assertThat(bytes(binary.wsWire(4))).endsWith(0x02, 1, 2);
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }
}
