package dev.switchboard.engineio;

import java.nio.charset.StandardCharsets;

/**
 * An Engine.IO "message" packet (type 4), text or binary, built once and shared by every recipient.
 * The transports derive their wire forms (WebSocket frame bytes, polling payload segment) from it once
 * and reuse them for every socket it is sent to.
 */
public final class EngineMessage {
    private final String text;
    private final byte[] binary;
    private volatile byte[] utf8Frame; // "4" + text, UTF-8: the WebSocket text frame payload (v3 and v4)

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
            frame = ("4" + text).getBytes(StandardCharsets.UTF_8);
            utf8Frame = frame;
        }
        return frame;
    }

    /** Approximate wire size, for outbound-buffer accounting. */
    public int wireSize() {
        return binary != null ? binary.length + 1 : textFrameBytes().length;
    }
}
