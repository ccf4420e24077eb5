package dev.switchboard.engineio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The TCP peers whose forwarding headers ({@code X-Forwarded-For}, {@code X-Real-IP}) are believed: our reverse
 * proxies, as a list of networks (IP literals or CIDRs, IPv4 and IPv6). {@link #NONE} believes nobody;
 * {@link #PRIVATE_NETWORKS} is loopback, private/site-local, link-local and unique local (fc00::/7). An IPv4-mapped
 * IPv6 address ({@code ::ffff:a.b.c.d}) is matched as the IPv4 address it carries, peer and entry alike.
 */
public final class ProxyTrust {

    public static final ProxyTrust NONE = new ProxyTrust(List.of(), "none");
    public static final ProxyTrust PRIVATE_NETWORKS = parse(List.of("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12",
            "192.168.0.0/16", "169.254.0.0/16", "::1", "fe80::/10", "fec0::/10", "fc00::/7"));

    private final List<Network> networks;
    private final String text;

    private ProxyTrust(List<Network> networks, String text) {
        this.networks = List.copyOf(networks);
        this.text = text;
    }

    /**
     * @param entries IP literals ({@code 10.0.0.5}, {@code ::1}) or CIDRs ({@code 10.0.0.0/8}, {@code fd00::/8});
     *                no host names (no DNS is asked)
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static ProxyTrust parse(List<String> entries) {
        List<Network> networks = new ArrayList<>();
        for (String entry : entries) {
            networks.add(Network.parse(entry.trim()));
        }
        return new ProxyTrust(networks, String.join(",", entries));
    }

    /** Whether this peer is one of our proxies (false for null or an unresolved address). */
    public boolean trusts(InetSocketAddress peer) {
        InetAddress ip = peer == null ? null : peer.getAddress();
        if (ip == null) {
            return false;
        }
        byte[] address = unmapped(ip.getAddress());
        for (Network network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }

    /** An IPv4-mapped IPv6 address as its 4 IPv4 bytes; any other address as is. */
    private static byte[] unmapped(byte[] address) {
        if (address.length == 16 && Arrays.equals(address, 0, 12, IpLiteral.MAPPED_PREFIX, 0, 12)) {
            return Arrays.copyOfRange(address, 12, 16);
        }
        return address;
    }

    private record Network(byte[] base, int prefix) {
        static Network parse(String entry) {
            int slash = entry.indexOf('/');
            String literal = slash < 0 ? entry : entry.substring(0, slash);
            byte[] raw = IpLiteral.bytes(literal);
            if (raw == null) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR (e.g. 10.0.0.0/8, ::1)");
            }
            byte[] base = unmapped(raw);
            int shift = (raw.length - base.length) * 8; // a mapped entry's prefix counts the 96 bits of ::ffff:
            int bits = base.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = entry.substring(slash + 1);
                if (!length.matches("\\d{1,3}") || Integer.parseInt(length) - shift < 0
                        || Integer.parseInt(length) - shift > bits) {
                    throw new IllegalArgumentException("'" + entry + "' has a bad prefix length (0 to " + (bits + shift)
                            + (shift > 0 ? ", at least " + shift + " for a mapped address" : "") + ")");
                }
                prefix = Integer.parseInt(length) - shift;
            }
            for (int bit = prefix; bit < bits; bit++) {
                if ((base[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                    throw new IllegalArgumentException("'" + entry + "' has host bits set beyond /" + (prefix + shift));
                }
            }
            return new Network(base, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != base.length) {
                return false;
            }
            int full = prefix / 8;
            if (!Arrays.equals(address, 0, full, base, 0, full)) {
                return false;
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (base[full] & mask);
        }
    }
}
