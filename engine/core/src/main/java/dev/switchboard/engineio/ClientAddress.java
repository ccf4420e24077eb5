package dev.switchboard.engineio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Function;

/**
 * The client's IP address for per-IP limits and logs, the same for Socket.IO handshakes and plain WebSocket
 * routes. Behind a reverse proxy (TRUST_PROXY=true) it is the right-most {@code X-Forwarded-For} entry, the one
 * our own proxy appended, else {@code X-Real-IP}; otherwise the TCP peer. The headers are believed only from a
 * peer on loopback or a private network (where our proxy runs): a client reaching the port directly cannot pick
 * its own address.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    /**
     * @param peer       the TCP peer (null when unknown)
     * @param headers    every value of a request header by lower-case name, in order (empty or null when absent)
     * @param trustProxy whether a proxy's forwarding headers are believed (from a proxy network only)
     */
    public static String of(InetSocketAddress peer, Function<String, List<String>> headers, boolean trustProxy) {
        if (trustProxy && fromProxyNetwork(peer)) {
            String forwarded = last(headers.apply("x-forwarded-for"));
            if (forwarded != null) {
                String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
                if (!last.isEmpty()) {
                    return last;
                }
            }
            String realIp = last(headers.apply("x-real-ip"));
            if (realIp != null && !realIp.isBlank()) {
                return realIp.trim();
            }
        }
        if (peer == null) {
            return "unknown";
        }
        return peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
    }

    private static String last(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    static boolean fromProxyNetwork(InetSocketAddress peer) {
        InetAddress ip = peer == null ? null : peer.getAddress();
        return ip != null && (ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress()
                || (ip.getAddress().length == 16 && (ip.getAddress()[0] & 0xfe) == 0xfc)); // IPv6 unique local fc00::/7
    }
}
