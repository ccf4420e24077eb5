package dev.switchboard.app.credentials;

import java.util.List;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;

/** The one key configured with JWT_SECRET or JWT_PUBLIC_KEY; a token's {@code kid} is not looked at. */
public record StaticJwtKey(JWK key) implements JwtKeys {

    @Override
    public List<JWK> candidates(JWSHeader header, boolean mayBlock) {
        return List.of(key);
    }

    @Override
    public String describe() {
        return key.getKeyType().getValue().equals("oct") ? "secret" : "public-key " + key.getKeyType().getValue();
    }
}
