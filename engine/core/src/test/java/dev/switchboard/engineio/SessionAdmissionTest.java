package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.testkit.Await;

/**
 * Engine.IO sessions are admitted from the handshake, before any namespace: a cap per client address, a handshake
 * rate per address and a global cap; refusals are answered at once with a status and a JSON body; only the
 * handshake headers handlers read are kept, and what is kept is bounded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionAdmissionTest {
    private static final String HANDSHAKE = TestEngine.PATH + "?EIO=4&transport=polling";

    /** Handshakes from one source address over kept-alive connections (a new one after each refusal). */
    private static List<RawHttp.Answer> handshakes(String source, int port, int count, String... headers)
            throws IOException {
        List<RawHttp.Answer> answers = new ArrayList<>();
        RawHttp c = RawHttp.connect(source, port);
        try {
            for (int i = 0; i < count; i++) {
                RawHttp.Answer a = c.exchange(RawHttp.get(HANDSHAKE, port, headers));
                answers.add(a);
                if (a.closes()) {
                    c.close();
                    c = RawHttp.connect(source, port);
                }
            }
        } finally {
            c.close();
        }
        return answers;
    }

    private static int status(List<RawHttp.Answer> answers) {
        return answers.get(0).status();
    }

    private static List<RawHttp.Answer> handshakesUnchecked(String source, int port, int count) {
        try {
            return handshakes(source, port, count);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long count(List<RawHttp.Answer> answers, int status) {
        return answers.stream().filter(a -> a.status() == status).count();
    }

    @Test
    void sessionsBeyondThePerAddressCapAreRefusedAtOnceAndOtherAddressesStillServed() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().maxSessionsPerAddress(50).build())) {
            List<RawHttp.Answer> answers = handshakes("127.0.0.2", engine.port(), 60);
            assertThat(count(answers, 200)).isEqualTo(50);
            RawHttp.Answer refused = answers.get(55);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).isEqualTo("{\"code\":429,\"message\":\"Too many sessions from this address\"}");
            assertThat(refused.headers()).containsEntry("content-type", "application/json").containsKey("retry-after");
            assertThat(engine.server.clientsCount()).isEqualTo(50);

            assertThat(handshakes("127.0.0.3", engine.port(), 1).get(0).status()).isEqualTo(200);

            // a session that ends gives its place back
            EngineSocket first = engine.nextConnection();
            first.close("forced close");
            new PollingClient(engine.port()).poll(first.id()); // takes the close packet: the session is gone
            Await.until(() -> engine.server.admittedSessions() == 50, Duration.ofSeconds(10), "the closed session released");
            assertThat(handshakes("127.0.0.2", engine.port(), 1).get(0).status()).isEqualTo(200);
        }
    }

    @Test
    void handshakesFasterThanTheRateAreRefusedAfterTheBurst() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().handshakeRate(5, 10).build())) {
            long start = System.nanoTime();
            List<RawHttp.Answer> answers = handshakes("127.0.0.4", engine.port(), 20);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // the burst, plus what refilled at 5 per second while the 20 ran (a loaded machine makes that longer)
            assertThat(count(answers, 200)).isBetween(10L, 11L + tookMs / 200);
            assertThat(answers.subList(0, 10)).allMatch(a -> a.status() == 200);
            RawHttp.Answer refused = answers.stream().filter(a -> a.status() != 200).findFirst().orElseThrow();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).isEqualTo("{\"code\":429,\"message\":\"Too many handshakes from this address\"}");
            // 5 per second: a place comes back within 200 ms
            Await.until(() -> status(handshakesUnchecked("127.0.0.4", engine.port(), 1)) == 200,
                    Duration.ofSeconds(10), "a handshake admitted again after the bucket refilled");
        }
    }

    /**
     * Behind our proxy (trustProxy, peer on loopback) sessions are counted by the forwarded client address, and the
     * proxy's own TCP connections are not capped per peer: they carry everyone.
     */
    @Test
    void behindATrustedProxySessionsAreCountedByForwardedAddressAndTheProxyIsNotCappedPerPeer() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().trustProxy(true).maxSessionsPerAddress(2)
                .maxConnectionsPerAddress(3).build())) {
            List<RawHttp> proxyConnections = new ArrayList<>();
            try {
                List<Integer> statuses = new ArrayList<>();
                for (String client : List.of("203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.2")) {
                    RawHttp c = RawHttp.connect("127.0.0.1", engine.port()); // each on its own proxy connection
                    proxyConnections.add(c);
                    statuses.add(c.exchange(RawHttp.get(HANDSHAKE, engine.port(), "X-Forwarded-For: " + client)).status());
                }
                assertThat(statuses).containsExactly(200, 200, 429, 200, 200);
            } finally {
                proxyConnections.forEach(RawHttp::close);
            }
        }
    }

    /**
     * Behind our proxy an IPv6 client holds a whole /64 (its proxy forwards whichever one it used), and a forwarded
     * value is text the limits key on: a fresh address, or a fresh spelling of one, per handshake got past the
     * per-address cap. Same /64 = one client; a forwarded value that is no IP literal counts as the proxy.
     */
    @Test
    void behindATrustedProxyFreshIpv6AddressesOfOneSlash64OrNonAddressesDoNotEscapeThePerAddressCap() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().trustProxy(true).maxSessionsPerAddress(2)
                .build())) {
            List<RawHttp> proxyConnections = new ArrayList<>();
            try {
                List<Integer> statuses = new ArrayList<>();
                for (String client : List.of("2001:db8:0:7::1", "2001:db8:0:7::2", "2001:db8:0:7:a:b:c:d",
                        "2001:0db8:0000:0007:0000:0000:0000:0001", "2001:db8:0:8::1", "not-an-address-1",
                        "not-an-address-2", "not-an-address-3")) {
                    RawHttp c = RawHttp.connect("127.0.0.1", engine.port());
                    proxyConnections.add(c);
                    statuses.add(c.exchange(RawHttp.get(HANDSHAKE, engine.port(), "X-Forwarded-For: " + client)).status());
                }
                assertThat(statuses).containsExactly(200, 200, 429, 429, 200, 200, 200, 429);
            } finally {
                proxyConnections.forEach(RawHttp::close);
            }
        }
    }

    /** Per-address state lives only while the address has a session or an unfilled bucket: the map stays small. */
    @Test
    void addressStateIsForgottenOnceIdle() throws Exception {
        SessionAdmission noRate = new SessionAdmission(0, 5, 0, 1);
        SessionAdmission.Ticket t = noRate.admit("198.51.100.1");
        assertThat(noRate.trackedAddresses()).isEqualTo(1);
        t.release();
        t.release(); // idempotent
        assertThat(noRate.trackedAddresses()).isZero();
        assertThat(noRate.sessions()).isZero();

        SessionAdmission rated = new SessionAdmission(0, 5, 1000, 2); // refills in 2 ms
        rated.admit("198.51.100.2").release();
        assertThat(rated.admit("198.51.100.3").refusal()).isNull();
        Await.until(() -> {
            rated.sweep();
            return rated.trackedAddresses() == 1; // .2 forgotten, .3 still has a session
        }, Duration.ofSeconds(10), "idle address forgotten by the sweep");
    }

    @Test
    void sessionsBeyondTheGlobalCapGet503() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().maxSessions(20).build())) {
            List<RawHttp.Answer> all = new ArrayList<>();
            for (int n = 10; n < 14; n++) all.addAll(handshakes("127.0.0." + n, engine.port(), 6));
            assertThat(count(all, 200)).isEqualTo(20);
            assertThat(count(all, 503)).isEqualTo(4);
            assertThat(all.get(23).body()).isEqualTo("{\"code\":503,\"message\":\"Server full: too many sessions\"}");
        }
    }

    @Test
    void aSessionKeepsOnlyTheHandshakeHeadersHandlersReadAndABoundedAmount() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().maxHandshakeBytes(4096).build())) {
            String junk = "x".repeat(7000);
            RawHttp.Answer ok = handshakes("127.0.0.5", engine.port(), 1, "X-Junk: " + junk,
                    "Authorization: Bearer abc", "User-Agent: test").get(0);
            assertThat(ok.status()).isEqualTo(200);
            EngineRequest request = engine.nextConnection().request();
            assertThat(request.header("authorization")).isEqualTo("Bearer abc");
            assertThat(request.header("user-agent")).isEqualTo("test");
            assertThat(request.header("host")).isNotNull();
            assertThat(request.header("x-junk")).isNull();
            assertThat(request.headers().keySet()).containsOnly("host", "authorization", "user-agent");

            RawHttp.Answer tooLarge = handshakes("127.0.0.5", engine.port(), 1, "Authorization: Bearer " + junk).get(0);
            assertThat(tooLarge.status()).isEqualTo(431);
            assertThat(tooLarge.body()).isEqualTo("{\"code\":431,\"message\":\"Handshake too large\"}");
            assertThat(engine.server.clientsCount()).isEqualTo(1);
        }
    }
}
