package dev.switchboard.engineio;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Function;

/**
 * The client's IP address for per-IP limits and logs, the same for Socket.IO handshakes and plain WebSocket
 * routes. Behind a reverse proxy (TRUST_PROXY=true) it is the right-most {@code X-Forwarded-For} entry, the one
 * our own proxy appended, else {@code X-Real-IP}; otherwise the TCP peer. The headers are believed only from a
 * peer the {@link ProxyTrust} names (TRUSTED_PROXIES, by default loopback and private networks): a client reaching
 * the port directly cannot pick its own address. A forwarded value that is no IP literal counts as the proxy's
 * address; IPv6 addresses count by their /64 (see {@link #of(InetAddress)}).
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    /**
     * @param peer       the TCP peer (null when unknown)
     * @param headers    every value of a request header by lower-case name, in order (empty or null when absent)
     * @param trustProxy the peers whose forwarding headers are believed ({@link ProxyTrust#NONE}: nobody's)
     */
    public static String of(InetSocketAddress peer, Function<String, List<String>> headers, ProxyTrust trustProxy) {
        InetAddress ip = address(peer, headers, trustProxy);
        return ip != null ? of(ip) : peer == null ? "unknown" : peer.getHostString();
    }

    /** The same client's address in full (an IPv6 address not cut to its /64): what an operator is shown. */
    public static String inFull(InetSocketAddress peer, Function<String, List<String>> headers, ProxyTrust trustProxy) {
        InetAddress ip = address(peer, headers, trustProxy);
        return ip != null ? ip.getHostAddress() : peer == null ? "unknown" : peer.getHostString();
    }

    private static InetAddress address(InetSocketAddress peer, Function<String, List<String>> headers,
            ProxyTrust trustProxy) {
        InetAddress own = peer == null ? null : peer.getAddress();
        if (trustProxy.trusts(peer)) {
            String forwarded = last(headers.apply("x-forwarded-for"));
            if (forwarded != null) {
                String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
                if (!last.isEmpty()) {
                    return literal(last, own);
                }
            }
            String realIp = last(headers.apply("x-real-ip"));
            if (realIp != null && !realIp.isBlank()) {
                return literal(realIp.trim(), own);
            }
        }
        return own;
    }

    /**
     * An address as per-IP limits count it: IPv4 as is; IPv6 by its /64 prefix (e.g. {@code 2001:db8:0:7::/64}),
     * since one client (a home line, a VPS) holds a whole /64 and could take a fresh address per connection.
     */
    static String of(InetAddress ip) {
        if (!(ip instanceof Inet6Address) || ip.isLoopbackAddress()) return ip.getHostAddress();
        byte[] b = ip.getAddress();
        StringBuilder prefix = new StringBuilder(24);
        for (int group = 0; group < 4; group++) {
            prefix.append(Integer.toHexString(((b[2 * group] & 0xff) << 8) | (b[2 * group + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /** A forwarded address; not an IP literal (no DNS is asked): the proxy's own. */
    private static InetAddress literal(String forwarded, InetAddress proxy) {
        byte[] bytes = IpLiteral.bytes(forwarded);
        try {
            return bytes == null ? proxy : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return proxy; // not reached: the length is 4 or 16
        }
    }

    private static String last(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }
}
