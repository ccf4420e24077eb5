package dev.switchboard.engineio;

/** One decoded client packet: type is one of {@link PacketType}; text or binary holds the data (never both). */
record InboundPacket(char type, String text, byte[] binary) {
    static InboundPacket text(char type, String data) {
        return new InboundPacket(type, data, null);
    }

    static InboundPacket binary(byte[] data) {
        return new InboundPacket(PacketType.MESSAGE, null, data);
    }

    boolean isBinary() {
        return binary != null;
    }
}
