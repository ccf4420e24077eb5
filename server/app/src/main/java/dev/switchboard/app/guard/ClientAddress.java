package dev.switchboard.app;

import java.net.InetSocketAddress;

import dev.switchboard.socketio.Handshake;

/**
 * The client's IP address for per-IP limits and logs. Behind a reverse proxy (TRUST_PROXY=true) it is the
 * right-most {@code X-Forwarded-For} entry, the one our own proxy appended; otherwise the TCP peer.
 */
final class ClientAddress {
    private ClientAddress() {
    }

    static String of(Handshake handshake, boolean trustProxy) {
        if (trustProxy) {
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
        InetSocketAddress address = handshake.address();
        if (address == null) {
            return "unknown";
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }
}
