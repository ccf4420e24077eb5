package dev.switchboard.app.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads an RSA public key (PEM "BEGIN PUBLIC KEY", X.509 SubjectPublicKeyInfo) given inline or as a file path. */
public final class PemKeys {
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";

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
        String base64 = pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (((RSAPublicKey) key).getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("RSA key must have at least 2048 bits");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("RSA key")) {
                throw iae;
            }
            throw new IllegalArgumentException("not a valid RSA public key (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String readFile(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("neither a PEM key nor a readable file: '" + path + "'");
        }
    }
}
