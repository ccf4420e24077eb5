package dev.switchboard.engineio;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@code Host} header values a port answers (against DNS rebinding: a page on a name the attacker controls,
 * re-pointed at 127.0.0.1, reaches a loopback server same-origin but still sends its own name as Host). Allowed:
 * the loopback names ({@code localhost} and {@code *.localhost}, {@code 127.x.y.z}, {@code [::1]}) and the configured
 * public names, each with or without a port, case-insensitive. A request without Host cannot come from a browser
 * and is allowed. One rule for the public port and the HTTP API.
 */
public final class HostCheck {
    /** No check: every Host is answered. */
    public static final HostCheck ANY = new HostCheck(null);

    private final Set<String> names; // lower-case, without port; null = no check

    private HostCheck(Set<String> names) {
        this.names = names;
    }

    /** Loopback names plus these public names (host names or IP literals, a port is ignored). */
    public static HostCheck loopbackAnd(Collection<String> publicNames) {
        return new HostCheck(publicNames.stream().map(HostCheck::hostPart).collect(Collectors.toUnmodifiableSet()));
    }

    public boolean enabled() {
        return names != null;
    }

    /** Whether a request carrying this Host header (null when absent) is answered. */
    public boolean allows(String hostHeader) {
        if (names == null || hostHeader == null) return true;
        String host = hostPart(hostHeader);
        return isLoopbackName(host) || names.contains(host);
    }

    /** {@code localhost}, {@code *.localhost}, a dotted {@code 127.0.0.0/8} literal or {@code ::1}; no DNS lookup. */
    static boolean isLoopbackName(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")) return true;
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** "Example.COM:3007" → "example.com", "[::1]:3007" → "::1", a trailing dot dropped. */
    static String hostPart(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        String host;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            host = end < 0 ? v : v.substring(1, end);
        } else {
            int colon = v.indexOf(':');
            host = colon >= 0 && v.indexOf(':', colon + 1) < 0 ? v.substring(0, colon) : v; // bare IPv6 kept whole
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return names == null ? "any" : "loopback+" + names;
    }
}
