package dev.switchboard.app.credentials;

import java.util.Set;

/**
 * One entry of {@code AUTH_TOKENS}: {@code token} grants every namespace, {@code token@/services|/files}
 * only those listed.
 *
 * @param namespaces empty = every namespace
 */
public record StaticToken(String token, Set<String> namespaces) {

    public boolean grants(String namespace) {
        return namespaces.isEmpty() || namespaces.contains(namespace);
    }

    @Override
    public String toString() {
        return "StaticToken{namespaces=" + (namespaces.isEmpty() ? "*" : namespaces) + "}";
    }
}
