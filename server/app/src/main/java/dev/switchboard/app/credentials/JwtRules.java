package dev.switchboard.app.credentials;

/**
 * What a token must claim beyond a valid signature (JWT_ISSUER, JWT_AUDIENCE, JWT_REQUIRE_EXP): with several
 * services sharing one signing key, issuer and audience keep a token minted for another of them out.
 *
 * @param issuer     the required {@code iss}, or null for any
 * @param audience   a value the {@code aud} claim (string or array) must hold, or null for any
 * @param requireExp refuse tokens without {@code exp} (tokens that never expire)
 */
public record JwtRules(String issuer, String audience, boolean requireExp) {
    public static final JwtRules NONE = new JwtRules(null, null, false);

    public boolean any() {
        return issuer != null || audience != null || requireExp;
    }
}
