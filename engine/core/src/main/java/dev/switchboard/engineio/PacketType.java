package dev.switchboard.engineio;

/** Engine.IO packet type characters. */
final class PacketType {
    static final char OPEN = '0';
    static final char CLOSE = '1';
    static final char PING = '2';
    static final char PONG = '3';
    static final char MESSAGE = '4';
    static final char UPGRADE = '5';
    static final char NOOP = '6';

    /** v4 payload separator (ASCII record separator). */
    static final char SEPARATOR = '\u001e';

    private PacketType() {
    }

    static boolean isValid(char type) {
        return type >= OPEN && type <= NOOP;
    }
}
