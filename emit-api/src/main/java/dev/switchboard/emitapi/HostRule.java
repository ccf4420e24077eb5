package dev.switchboard.emitapi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Which {@code Host} headers a server answers (DNS rebinding: a page whose name was re-pointed at 127.0.0.1 sends
 * its own name as Host). Allowed: the loopback names {@code localhost}, {@code 127.x.x.x} and {@code [::1]}, and
 * the configured public names, each with or without a port. A request without a Host header (HTTP/1.0, never a
 * browser) is allowed.
 */
public final class HostRule {
    private final List<String> names;

    /** @param names extra host names or IP addresses (no port; IPv6 with or without brackets), case-insensitive */
    public HostRule(Collection<String> names) {
        List<String> normalized = new ArrayList<>();
        for (String name : names) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.indexOf(':') >= 0 && !n.startsWith("[")) {
                n = "[" + n + "]";
            }
            if (!n.isEmpty()) {
                normalized.add(n);
            }
        }
        this.names = List.copyOf(normalized);
    }

    public boolean allows(String host) {
        if (host == null) {
            return true;
        }
        int end = nameEnd(host);
        if (end < 0) {
            return false;
        }
        if (isLoopbackName(host, end)) {
            return true;
        }
        for (String name : names) {
            if (name.length() == end && host.regionMatches(true, 0, name, 0, end)) {
                return true;
            }
        }
        return false;
    }

    /** Where the name ends (before {@code :port}), or -1 when the header is malformed. */
    private static int nameEnd(String host) {
        int length = host.length();
        if (length > 0 && host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 0 || !validPort(host, close + 1)) {
                return -1;
            }
            return close + 1;
        }
        int colon = host.indexOf(':');
        if (colon < 0) {
            return length;
        }
        return validPort(host, colon) ? colon : -1;
    }

    /** Nothing, or {@code :digits}, from {@code from} to the end. */
    private static boolean validPort(String host, int from) {
        if (from == host.length()) {
            return true;
        }
        if (host.charAt(from) != ':' || from + 1 == host.length() || host.length() - from > 6) {
            return false;
        }
        for (int i = from + 1; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLoopbackName(String host, int end) {
        if (end == 9 && host.regionMatches(true, 0, "localhost", 0, 9)) {
            return true;
        }
        if (end == 5 && host.regionMatches(0, "[::1]", 0, 5)) {
            return true;
        }
        return isIpv4Loopback(host, end);
    }

    /** {@code 127.a.b.c}, each part 0-255 written in decimal. */
    private static boolean isIpv4Loopback(String host, int end) {
        if (end < 9 || !host.startsWith("127.")) {
            return false;
        }
        int parts = 2; // "127." is the first; the second has begun
        int value = 0;
        int digits = 0;
        for (int i = 4; i < end; i++) {
            char c = host.charAt(i);
            if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                parts++;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return parts == 4 && digits > 0;
    }
}
