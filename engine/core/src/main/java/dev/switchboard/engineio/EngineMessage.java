package dev.switchboard.engineio;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An Engine.IO "message" packet (type 4), text or binary, built once and shared by every recipient.
 * The transports derive their wire forms (WebSocket frame bytes, polling payload segment) from it once
 * and reuse them for every socket it is sent to.
 */
public final class EngineMessage {
    private final String text;
    private final byte[] binary;
    private volatile byte[] utf8Frame; // "4" + text, UTF-8: the WebSocket text frame payload (v3 and v4)
    private volatile ByteBuf wsFrame;      // read-only, unreleasable, direct: text frame, or v4 binary frame
    private volatile ByteBuf wsFrameV3;    // v3 binary frame: 0x04 + data
    private volatile ByteBuf wsWire;       // the whole WebSocket frame, header included (no per-message deflate)
    private volatile ByteBuf wsWireV3;
    private volatile String base64;        // polling form of a binary message

    private EngineMessage(String text, byte[] binary) {
        this.text = text;
        this.binary = binary;
    }

    public static EngineMessage text(String text) {
        return new EngineMessage(text, null);
    }

    public static EngineMessage binary(byte[] data) {
        return new EngineMessage(null, data);
    }

    public boolean isBinary() {
        return binary != null;
    }

    /** The text payload (without the Engine.IO type prefix); null for binary messages. */
    public String text() {
        return text;
    }

    /** The binary payload; null for text messages. Not copied: callers must not modify it. */
    public byte[] binary() {
        return binary;
    }

    /** "4" + text as UTF-8, computed once. */
    public byte[] textFrameBytes() {
        byte[] frame = utf8Frame;
        if (frame == null) {
            frame = asciiFrame(text);
            if (frame == null) {
                frame = ("4" + text).getBytes(StandardCharsets.UTF_8);
            }
            utf8Frame = frame;
        }
        return frame;
    }

    /** "4" + text for an ASCII text (JSON mostly is), in one array; null when it holds any other char. */
    private static byte[] asciiFrame(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) >= 0x80) {
                return null;
            }
        }
        byte[] frame = new byte[length + 1];
        frame[0] = '4';
        for (int i = 0; i < length; i++) {
            frame[i + 1] = (byte) text.charAt(i);
        }
        return frame;
    }

    /** Approximate wire size, for outbound-buffer accounting. */
    public int wireSize() {
        return binary != null ? binary.length + 1 : textFrameBytes().length;
    }

    /**
     * The WebSocket frame payload, derived once and shared: write {@code duplicate()}s of it. Benign race: two
     * threads may both build it; both results are equal and immutable.
     */
    ByteBuf wsFrame(int protocol) {
        if (binary != null && protocol == 3) {
            ByteBuf frame = wsFrameV3;
            if (frame == null) {
                frame = SharedBuffers.readOnlyDirect(v3Payload());
                wsFrameV3 = frame;
            }
            return frame;
        }
        ByteBuf frame = wsFrame;
        if (frame == null) {
            frame = SharedBuffers.readOnlyDirect(binary != null ? binary : textFrameBytes());
            wsFrame = frame;
        }
        return frame;
    }

    /**
     * The complete server-to-client WebSocket frame (header and payload; servers do not mask), built once and
     * written as {@code duplicate()}s by every recipient's channel: a broadcast to N sockets frames its message
     * once instead of N times. Only valid without per-message deflate (the compressor works on frame objects).
     */
    ByteBuf wsWire(int protocol) {
        boolean v3Binary = binary != null && protocol == 3;
        ByteBuf wire = v3Binary ? wsWireV3 : wsWire;
        if (wire == null) {
            // from the bytes, not from wsFrame(): a recorded message (history, recovery) keeps one buffer, not two
            wire = SharedBuffers.readOnlyDirect(WebSocketFrames.serverFrame(binary != null, v3Binary ? v3Payload()
                    : binary != null ? binary : textFrameBytes()));
            if (v3Binary) {
                wsWireV3 = wire;
            } else {
                wsWire = wire;
            }
        }
        return wire;
    }

    /** Engine.IO v3 sends binary over WebSocket behind a 0x04 type byte. */
    private byte[] v3Payload() {
        byte[] bytes = new byte[binary.length + 1];
        bytes[0] = 4;
        System.arraycopy(binary, 0, bytes, 1, binary.length);
        return bytes;
    }

    /** Base64 of the binary payload (polling), computed once. */
    String base64() {
        String b = base64;
        if (b == null) {
            b = Base64.getEncoder().encodeToString(binary);
            base64 = b;
        }
        return b;
    }
}
