package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyTrustTest {

    @Test
    void ipv4LiteralsAndCidrs() {
        ProxyTrust trust = ProxyTrust.parse(List.of("127.0.0.2", "10.0.0.0/8", "192.168.4.0/22", "172.16.5.9/32"));
        assertThat(trust.trusts(peer("127.0.0.2"))).as("a literal is a /32").isTrue();
        assertThat(trust.trusts(peer("127.0.0.1"))).isFalse();
        assertThat(trust.trusts(peer("10.255.0.1"))).isTrue();
        assertThat(trust.trusts(peer("11.0.0.1"))).isFalse();
        assertThat(trust.trusts(peer("192.168.7.255"))).as("last of the /22").isTrue();
        assertThat(trust.trusts(peer("192.168.8.0"))).as("first past the /22").isFalse();
        assertThat(trust.trusts(peer("192.168.3.255"))).isFalse();
        assertThat(trust.trusts(peer("172.16.5.9"))).isTrue();
        assertThat(trust.trusts(peer("172.16.5.8"))).isFalse();
        assertThat(trust.trusts(peer("::1"))).as("no IPv6 entry").isFalse();
    }

    @Test
    void ipv6LiteralsAndCidrs() {
        ProxyTrust trust = ProxyTrust.parse(List.of("::1", "fd00:1::/32", "2001:db8::7/128"));
        assertThat(trust.trusts(peer("::1"))).isTrue();
        assertThat(trust.trusts(peer("::2"))).isFalse();
        assertThat(trust.trusts(peer("fd00:1:ffff::1"))).isTrue();
        assertThat(trust.trusts(peer("fd00:2::1"))).isFalse();
        assertThat(trust.trusts(peer("2001:db8::7"))).isTrue();
        assertThat(trust.trusts(peer("2001:db8::8"))).isFalse();
        assertThat(trust.trusts(peer("127.0.0.1"))).as("no IPv4 entry").isFalse();
    }

    @Test
    void slashZeroTrustsEveryAddressOfItsFamily() {
        ProxyTrust v4 = ProxyTrust.parse(List.of("0.0.0.0/0"));
        assertThat(v4.trusts(peer("203.0.113.7"))).isTrue();
        assertThat(v4.trusts(peer("2001:db8::1"))).isFalse();
        ProxyTrust v6 = ProxyTrust.parse(List.of("::/0"));
        assertThat(v6.trusts(peer("2001:db8::1"))).isTrue();
        assertThat(v6.trusts(peer("203.0.113.7"))).isFalse();
    }

    @Test
    void anIpv4MappedAddressIsTheIpv4AddressItCarries() throws Exception {
        ProxyTrust trust = ProxyTrust.parse(List.of("10.0.0.0/8", "::ffff:192.168.1.0/120"));
        assertThat(trust.trusts(mappedPeer(10, 1, 2, 3))).isTrue();
        assertThat(trust.trusts(mappedPeer(11, 1, 2, 3))).isFalse();
        assertThat(trust.trusts(peer("192.168.1.77"))).as("a mapped entry matches the plain IPv4 peer").isTrue();
        assertThat(trust.trusts(peer("192.168.2.1"))).isFalse();
    }

    @Test
    void noneAndUnresolvedPeersAreNeverTrusted() {
        assertThat(ProxyTrust.NONE.trusts(peer("127.0.0.1"))).isFalse();
        assertThat(ProxyTrust.PRIVATE_NETWORKS.trusts(null)).isFalse();
        assertThat(ProxyTrust.PRIVATE_NETWORKS.trusts(InetSocketAddress.createUnresolved("localhost", 80))).isFalse();
    }

    @Test
    void privateNetworksAreLoopbackPrivateLinkLocalAndUniqueLocal() {
        for (String trusted : List.of("127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                "192.168.0.1", "169.254.1.1", "::1", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fdff::1")) {
            assertThat(ProxyTrust.PRIVATE_NETWORKS.trusts(peer(trusted))).as(trusted).isTrue();
        }
        for (String other : List.of("8.8.8.8", "172.15.255.255", "172.32.0.0", "192.169.0.1", "169.255.0.1",
                "11.0.0.1", "2001:db8::1", "fe00::1", "::2", "0.0.0.0")) {
            assertThat(ProxyTrust.PRIVATE_NETWORKS.trusts(peer(other))).as(other).isFalse();
        }
    }

    @Test
    void badEntriesAreRefusedByName() {
        for (String bad : List.of("", "localhost", "example.com", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/",
                "10.0.0.0/8/8", "10.0.0.1/8", "fe80::1%eth0", "1.2.3", "256.0.0.1", "10.0.0.0/ 8", "::ffff:10.0.0.0/64")) {
            assertThatThrownBy(() -> ProxyTrust.parse(List.of("127.0.0.1", bad)))
                    .as("'%s'", bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
    }

    private static InetSocketAddress peer(String literal) {
        return new InetSocketAddress(literal, 40000);
    }

    /** A peer as a dual-stack socket may report it: ::ffff:a.b.c.d kept as an IPv6 address. */
    private static InetSocketAddress mappedPeer(int a, int b, int c, int d) throws Exception {
        byte[] bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) a, (byte) b, (byte) c, (byte) d};
        return new InetSocketAddress(java.net.Inet6Address.getByAddress(null, bytes, -1), 40000);
    }
}
