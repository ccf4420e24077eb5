package dev.switchboard.app.credentials;

import java.util.List;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;

/** Where the keys that may have signed a token come from: one configured key, or a JWKS URL. */
public interface JwtKeys {

    /**
     * The keys to try for a token with this header (by its {@code kid} where the source has several).
     *
     * @throws JwtVerifier.InvalidTokenException when no key can be had (unknown {@code kid}, key set unavailable)
     */
    List<JWK> candidates(JWSHeader header) throws JwtVerifier.InvalidTokenException;

    /** For the start-up log line; holds no secret. */
    String describe();
}
