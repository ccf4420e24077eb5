package dev.switchboard.app.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

/**
 * Reads a public key (PEM "BEGIN PUBLIC KEY", X.509 SubjectPublicKeyInfo) given inline or as a file path: RSA (at
 * least 2048 bits), EC P-256/P-384/P-521 or Ed25519.
 */
public final class PemKeys {
    static final int MIN_RSA_BITS = 2048;
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    private static final int ED25519_KEY_BYTES = 32;

    private PemKeys() {
    }

    /** @throws IllegalArgumentException with a message fit for the operator */
    public static PublicKey readPublicKey(String pemOrPath) {
        String pem = pemOrPath.contains("-----BEGIN") ? pemOrPath : readFile(pemOrPath);
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("expected a PEM '" + BEGIN + "' block (convert a PKCS#1 key with "
                    + "'openssl rsa -pubin -in key.pem -RSAPublicKey_in -pubout')");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid public key (bad base64)");
        }
        for (String type : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                PublicKey key = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
                if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                    throw new IllegalArgumentException("RSA key must have at least " + MIN_RSA_BITS + " bits");
                }
                return key;
            } catch (GeneralSecurityException | ClassCastException e) {
                // not this type: try the next
            }
        }
        throw new IllegalArgumentException("not a valid RSA, EC or Ed25519 public key");
    }

    /** The key as a JWK for verification. */
    public static JWK toJwk(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null || !(Curve.P_256.equals(curve) || Curve.P_384.equals(curve) || Curve.P_521.equals(curve))) {
                throw new IllegalArgumentException("EC key must be on curve P-256, P-384 or P-521");
            }
            return new ECKey.Builder(curve, ec).build();
        }
        if (key instanceof EdECPublicKey ed && "Ed25519".equals(ed.getParams().getName())) {
            byte[] encoded = key.getEncoded(); // X.509: a fixed prefix, then the 32-byte key
            byte[] raw = Arrays.copyOfRange(encoded, encoded.length - ED25519_KEY_BYTES, encoded.length);
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw)).build();
        }
        throw new IllegalArgumentException("unsupported public key type " + key.getAlgorithm());
    }

    private static String readFile(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("neither a PEM key nor a readable file: '" + path + "'");
        }
    }
}
