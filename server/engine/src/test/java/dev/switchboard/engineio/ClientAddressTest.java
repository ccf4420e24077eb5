package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress PRIVATE = new InetSocketAddress("10.1.2.3", 40000);
    private static final InetSocketAddress IPV6_UNIQUE_LOCAL = new InetSocketAddress("fd00::5", 40000);
    private static final InetSocketAddress PUBLIC = new InetSocketAddress("192.0.2.50", 40000);

    @Test
    void theProxysEntryIsTheRightMostForwardedAddress() {
        Map<String, String> headers = Map.of("x-forwarded-for", "6.6.6.6, 198.51.100.4 , 203.0.113.7 ");
        assertThat(ClientAddress.of(LOOPBACK, headers::get, true)).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.of(PRIVATE, headers::get, true)).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.of(IPV6_UNIQUE_LOCAL, headers::get, true)).isEqualTo("203.0.113.7");
    }

    @Test
    void realIpIsTheFallbackAndAnEmptyForwardedEntryIsIgnored() {
        Map<String, String> headers = Map.of("x-forwarded-for", "1.2.3.4,", "x-real-ip", " 203.0.113.9 ");
        assertThat(ClientAddress.of(LOOPBACK, headers::get, true)).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.of(LOOPBACK, Map.<String, String>of()::get, true)).isEqualTo("127.0.0.1");
    }

    @Test
    void headersAreIgnoredWithoutTrustOrFromAPublicPeer() {
        Map<String, String> headers = Map.of("x-forwarded-for", "203.0.113.7", "x-real-ip", "203.0.113.8");
        assertThat(ClientAddress.of(LOOPBACK, headers::get, false)).isEqualTo("127.0.0.1");
        // a client reaching the port directly cannot choose its own address
        assertThat(ClientAddress.of(PUBLIC, headers::get, true)).isEqualTo("192.0.2.50");
    }

    @Test
    void noPeerIsUnknown() {
        assertThat(ClientAddress.of(null, name -> null, true)).isEqualTo("unknown");
    }
}
