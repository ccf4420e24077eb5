package dev.switchboard.socketio;

import java.security.SecureRandom;
import java.util.Base64;

/** Random socket ids (120 bits, base64url, 20 chars like Node's), unrelated to the Engine.IO sid. */
final class SocketIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private SocketIds() {
    }

    static String next() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
