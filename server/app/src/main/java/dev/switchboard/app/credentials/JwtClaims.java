package dev.switchboard.app.credentials;

import java.util.Set;

/**
 * What a verified JWT grants.
 *
 * @param subject    the {@code sub} claim, or null
 * @param namespaces the {@code namespaces} claim; {@code "*"} grants every namespace
 */
public record JwtClaims(String subject, Set<String> namespaces) {

    public boolean grants(String namespace) {
        return namespaces.contains(namespace) || namespaces.contains("*");
    }
}
