package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress PRIVATE = new InetSocketAddress("10.1.2.3", 40000);
    private static final InetSocketAddress IPV6_UNIQUE_LOCAL = new InetSocketAddress("fd00::5", 40000);
    private static final InetSocketAddress PUBLIC = new InetSocketAddress("192.0.2.50", 40000);
    private static final ProxyTrust TRUSTED = ProxyTrust.PRIVATE_NETWORKS;

    @Test
    void theProxysEntryIsTheRightMostForwardedAddress() {
        Function<String, List<String>> headers = headers("x-forwarded-for", "6.6.6.6, 198.51.100.4 , 203.0.113.7 ");
        assertThat(ClientAddress.of(LOOPBACK, headers, TRUSTED)).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.of(PRIVATE, headers, TRUSTED)).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.of(IPV6_UNIQUE_LOCAL, headers, TRUSTED)).isEqualTo("203.0.113.7");
    }

    @Test
    void aProxyLineAfterTheClientsOwnLineWins() {
        // HAProxy's option forwardfor adds a line instead of extending the client's
        Map<String, List<String>> lines = Map.of("x-forwarded-for", List.of("6.6.6.6", "203.0.113.7"),
                "x-real-ip", List.of("6.6.6.6", "203.0.113.8"));
        assertThat(ClientAddress.of(LOOPBACK, lines::get, TRUSTED)).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.of(LOOPBACK, name -> name.equals("x-real-ip") ? lines.get(name) : null, TRUSTED))
                .isEqualTo("203.0.113.8");
    }

    @Test
    void realIpIsTheFallbackAndAnEmptyForwardedEntryIsIgnored() {
        Function<String, List<String>> headers = headers("x-forwarded-for", "1.2.3.4,", "x-real-ip", " 203.0.113.9 ");
        assertThat(ClientAddress.of(LOOPBACK, headers, TRUSTED)).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.of(LOOPBACK, name -> List.of(), TRUSTED)).isEqualTo("127.0.0.1");
    }

    @Test
    void headersAreIgnoredWithoutTrustOrFromAPublicPeer() {
        Function<String, List<String>> headers = headers("x-forwarded-for", "203.0.113.7", "x-real-ip", "203.0.113.8");
        assertThat(ClientAddress.of(LOOPBACK, headers, ProxyTrust.NONE)).isEqualTo("127.0.0.1");
        // a client reaching the port directly cannot choose its own address
        assertThat(ClientAddress.of(PUBLIC, headers, TRUSTED)).isEqualTo("192.0.2.50");
    }

    @Test
    void ipv6CountsByItsSlash64AndAForwardedValueThatIsNoAddressIsTheProxys() throws Exception {
        assertThat(ClientAddress.of(LOOPBACK, headers("x-forwarded-for", "2001:db8:0:7::1"), TRUSTED))
                .isEqualTo("2001:db8:0:7::/64");
        assertThat(ClientAddress.of(LOOPBACK, headers("x-forwarded-for", "2001:0db8:0:7:ffff:1:2:3"), TRUSTED))
                .isEqualTo("2001:db8:0:7::/64");
        assertThat(ClientAddress.of(LOOPBACK, headers("x-real-ip", "::ffff:203.0.113.7"), TRUSTED)).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.of(LOOPBACK, headers("x-forwarded-for", "1.2.3.4, example.com"), TRUSTED))
                .as("never looked up in DNS").isEqualTo("127.0.0.1");
        assertThat(ClientAddress.of(new InetSocketAddress("2001:db8:1:2:3:4:5:6", 40000), name -> null, ProxyTrust.NONE))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.of(new InetSocketAddress("::1", 40000), name -> null, ProxyTrust.NONE))
                .isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void inFullIsTheSameClientWithItsWholeIpv6Address() {
        assertThat(ClientAddress.inFull(LOOPBACK, headers("x-forwarded-for", "1.2.3.4, 2001:db8:0:7::1"), TRUSTED))
                .isEqualTo("2001:db8:0:7:0:0:0:1");
        assertThat(ClientAddress.inFull(new InetSocketAddress("2001:db8:1:2:3:4:5:6", 40000),
                headers("x-forwarded-for", "203.0.113.7"), TRUSTED)).as("a public peer is not a proxy")
                .isEqualTo("2001:db8:1:2:3:4:5:6");
        assertThat(ClientAddress.inFull(LOOPBACK, headers("x-forwarded-for", "203.0.113.7"), ProxyTrust.NONE))
                .isEqualTo("127.0.0.1");
        assertThat(ClientAddress.inFull(LOOPBACK, headers("x-forwarded-for", "example.com"), TRUSTED))
                .isEqualTo("127.0.0.1");
        assertThat(ClientAddress.inFull(null, name -> null, TRUSTED)).isEqualTo("unknown");
    }

    @Test
    void noPeerIsUnknown() {
        assertThat(ClientAddress.of(null, name -> null, TRUSTED)).isEqualTo("unknown");
    }

    /** One line per header: name, value, name, value... */
    private static Function<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return map::get;
    }
}
