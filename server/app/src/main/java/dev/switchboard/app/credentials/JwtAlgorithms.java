package dev.switchboard.app.credentials;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.CurveBasedJWK;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;

/**
 * Which JWS algorithms a token may use (JWT_ALGORITHMS). Either a pinned list, or, for a JWKS without a list, the one
 * algorithm each key names: its {@code alg}, else its type's usual one (RSA: RS256, EC: ES256/384/512 by curve, OKP
 * Ed25519: EdDSA). In both cases the algorithm must fit the key's type and curve, so a token can never switch
 * families (an HS256 token "signed" with an RSA public key's bytes is refused) and "none" is never accepted.
 */
public final class JwtAlgorithms {
    /** What nimbus verifies here; HMAC only with JWT_SECRET (a JWKS is public). */
    static final List<JWSAlgorithm> SUPPORTED = List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
            JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    private final Set<JWSAlgorithm> pinned; // null: each key's own algorithm

    private JwtAlgorithms(Set<JWSAlgorithm> pinned) {
        this.pinned = pinned;
    }

    public static JwtAlgorithms pinned(Set<JWSAlgorithm> algorithms) {
        return new JwtAlgorithms(java.util.Collections.unmodifiableSet(new LinkedHashSet<>(algorithms))); // in the order listed
    }

    /** For a JWKS without JWT_ALGORITHMS: the algorithm each key names. */
    public static JwtAlgorithms perKey() {
        return new JwtAlgorithms(null);
    }

    /** The one algorithm a key is used with when nothing else is said (RSA: RS256, EC P-256: ES256, ...). */
    public static JWSAlgorithm usualFor(JWK key) {
        if (key.getAlgorithm() != null) { // parsed from JSON, it is a plain Algorithm
            return JWSAlgorithm.parse(key.getAlgorithm().getName());
        }
        if (key.getKeyType() == KeyType.RSA) {
            return JWSAlgorithm.RS256;
        }
        if (key instanceof ECKey ec) {
            Curve curve = ec.getCurve();
            return Curve.P_256.equals(curve) ? JWSAlgorithm.ES256 : Curve.P_384.equals(curve) ? JWSAlgorithm.ES384
                    : Curve.P_521.equals(curve) ? JWSAlgorithm.ES512 : null;
        }
        if (key instanceof OctetKeyPair okp) {
            return Curve.Ed25519.equals(okp.getCurve()) ? JWSAlgorithm.EdDSA : null;
        }
        return key.getKeyType() == KeyType.OCT ? JWSAlgorithm.HS256 : null;
    }

    /**
     * Parses a comma-separated JWT_ALGORITHMS list.
     *
     * @throws IllegalArgumentException naming the unknown entry
     */
    public static Set<JWSAlgorithm> parse(List<String> names) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String name : names) {
            JWSAlgorithm algorithm = SUPPORTED.stream().filter(a -> a.getName().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not one of " + names(SUPPORTED)));
            algorithms.add(algorithm);
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("must list at least one algorithm");
        }
        return algorithms;
    }

    /** Whether a token header naming {@code algorithm} can be accepted at all (before looking for its key). */
    boolean mayAccept(JWSAlgorithm algorithm) {
        return pinned != null ? pinned.contains(algorithm)
                : SUPPORTED.contains(algorithm) && !JWSAlgorithm.Family.HMAC_SHA.contains(algorithm);
    }

    /** Whether a token signed with {@code algorithm} may be verified with {@code key}. */
    boolean allows(JWSAlgorithm algorithm, JWK key) {
        return fits(algorithm, key) && (pinned != null ? pinned.contains(algorithm) : algorithm.equals(usualFor(key)));
    }

    /** The key's type, curve, {@code use} and own {@code alg} (when it names one) admit {@code algorithm}. */
    public static boolean fits(JWSAlgorithm algorithm, JWK key) {
        if (!SUPPORTED.contains(algorithm) || !KeyType.forAlgorithm(algorithm).equals(key.getKeyType())) {
            return false;
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return false;
        }
        Algorithm own = key.getAlgorithm();
        if (own != null && !own.equals(algorithm)) {
            return false;
        }
        if (key instanceof CurveBasedJWK curved) {
            return JWSAlgorithm.EdDSA.equals(algorithm) ? Curve.Ed25519.equals(curved.getCurve())
                    : Curve.forJWSAlgorithm(algorithm).contains(curved.getCurve());
        }
        return true;
    }

    /** The pinned names, or "per-key". */
    @Override
    public String toString() {
        return pinned == null ? "per-key" : names(pinned);
    }

    private static String names(java.util.Collection<JWSAlgorithm> algorithms) {
        return algorithms.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(","))
                .toUpperCase(Locale.ROOT).replace("EDDSA", "EdDSA");
    }
}
