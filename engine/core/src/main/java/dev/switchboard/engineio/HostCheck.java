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
        return new HostCheck(publicNames.stream().map(HostCheck::hostPart).filter(java.util.Objects::nonNull)
                .collect(Collectors.toUnmodifiableSet()));
    }

    public boolean enabled() {
        return names != null;
    }

    /** Whether a request carrying this Host header (null when absent) is answered; a malformed value is not. */
    public boolean allows(String hostHeader) {
        if (names == null || hostHeader == null) return true;
        String host = hostPart(hostHeader);
        return host != null && (isLoopbackName(host) || names.contains(host));
    }

    /** {@code localhost}, {@code *.localhost}, a dotted {@code 127.0.0.0/8} literal or {@code ::1}; no DNS lookup. */
    static boolean isLoopbackName(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")) return true;
        if (!host.startsWith("127.")) return false;
        // checked in place (every request of every port asks): four parts of 1-3 digits, each at most 255
        int parts = 0;
        for (int from = 0; ; ) {
            int dot = host.indexOf('.', from);
            int end = dot < 0 ? host.length() : dot;
            if (!isOctet(host, from, end) || ++parts > 4) return false;
            if (dot < 0) return parts == 4;
            from = dot + 1;
        }
    }

    /** 1-3 ASCII digits, at most 255. */
    private static boolean isOctet(String s, int from, int end) {
        if (end <= from || end - from > 3) return false;
        int value = 0;
        for (int i = from; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
            value = value * 10 + (c - '0');
        }
        return value <= 255;
    }

    /**
     * "Example.COM:3007" → "example.com", "[::1]:3007" → "::1", a trailing dot dropped; null when the value is not
     * a name with an optional {@code :port} (1–5 digits), such as "localhost:abc", "[::1" or "".
     */
    static String hostPart(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        String host;
        int portFrom;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) return null;
            host = v.substring(1, end);
            portFrom = end + 1;
        } else if (v.indexOf(':') != v.lastIndexOf(':')) {
            return v.isEmpty() ? null : v; // a bare IPv6 literal (configured names), kept whole
        } else {
            int colon = v.indexOf(':');
            host = colon >= 0 ? v.substring(0, colon) : v;
            portFrom = colon >= 0 ? colon : v.length();
        }
        if (!validPort(v, portFrom)) return null;
        host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return host.isEmpty() ? null : host;
    }

    /** Nothing, or {@code :} and 1–5 digits, from {@code from} to the end. */
    private static boolean validPort(String v, int from) {
        if (from == v.length()) return true;
        int digits = v.length() - from - 1;
        if (v.charAt(from) != ':' || digits < 1 || digits > 5) return false;
        for (int i = from + 1; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return names == null ? "any" : "loopback+" + names;
    }
}
