package dev.switchboard.app.credentials;

import java.util.List;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;

/** Where the keys that may have signed a token come from: one configured key, or a JWKS URL. */
public interface JwtKeys {

    /**
     * The keys to try for a token with this header (by its {@code kid} where the source has several).
     *
     * @param mayBlock false on a thread that must not wait for the network (a Netty I/O thread): a due fetch then
     *                 runs in the background and the keys at hand are used
     * @throws JwtVerifier.InvalidTokenException when no key can be had (unknown {@code kid}, key set unavailable)
     */
    List<JWK> candidates(JWSHeader header, boolean mayBlock) throws JwtVerifier.InvalidTokenException;

    /** Starts loading the keys in the background, if they come from the network. */
    default void warmUp() {
    }

    /** For the start-up log line; holds no secret. */
    String describe();
}
