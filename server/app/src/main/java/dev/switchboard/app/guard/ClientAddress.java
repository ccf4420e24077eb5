package dev.switchboard.app.guard;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import dev.switchboard.socketio.Handshake;

/**
 * The client's IP address for per-IP limits and logs. Behind a reverse proxy (TRUST_PROXY=true) it is the
 * right-most {@code X-Forwarded-For} entry, the one our own proxy appended; otherwise the TCP peer. The headers
 * are believed only from a peer on loopback or a private network (where our proxy runs): a client reaching the
 * port directly cannot pick its own address.
 */
final class ClientAddress {
    private ClientAddress() {
    }

    static String of(Handshake handshake, boolean trustProxy) {
        InetSocketAddress address = handshake.address();
        if (trustProxy && fromProxyNetwork(address)) {
            String forwarded = handshake.header("x-forwarded-for");
            if (forwarded != null) {
                String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
                if (!last.isEmpty()) {
                    return last;
                }
            }
            String realIp = handshake.header("x-real-ip");
            if (realIp != null && !realIp.isBlank()) {
                return realIp.trim();
            }
        }
        if (address == null) {
            return "unknown";
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    private static boolean fromProxyNetwork(InetSocketAddress peer) {
        InetAddress ip = peer == null ? null : peer.getAddress();
        return ip != null && (ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress()
                || (ip.getAddress().length == 16 && (ip.getAddress()[0] & 0xfe) == 0xfc)); // IPv6 unique local fc00::/7
    }
}
