package dev.switchboard.app.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.app.credentials.JwtVerifier;
import dev.switchboard.app.credentials.StaticTokens;

/**
 * The credentials the console login takes: EMIT_TOKEN (the operator's), a token of AUTH_TOKENS or a JWT that
 * verifies (what the dashboard's socket.io connections present). Never blocks: a JWT whose key is not fetched yet
 * is refused, not waited for (the login runs on an I/O thread).
 */
final class ConsoleCredentials {
    private final byte[] emitToken;
    private final StaticTokens staticTokens;
    private final JwtVerifier jwt;

    ConsoleCredentials(SwitchboardConfig config) {
        this.emitToken = config.emitToken() == null ? null : config.emitToken().getBytes(StandardCharsets.UTF_8);
        this.staticTokens = new StaticTokens(config.authTokens());
        this.jwt = config.jwt();
    }

    boolean valid(String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        if (emitToken != null && MessageDigest.isEqual(emitToken, token.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        if (staticTokens.find(token) != null) {
            return true;
        }
        if (jwt == null) {
            return false;
        }
        try {
            jwt.verifyWithoutBlocking(token, System.currentTimeMillis() / 1000);
            return true;
        } catch (JwtVerifier.InvalidTokenException e) {
            return false;
        }
    }
}
