package dev.switchboard.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.app.EchoNamespace;
import dev.switchboard.app.SwitchboardServer;
import dev.switchboard.app.TestServers;
import dev.switchboard.testkit.Cleanup;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * The operator console's login on the real server: the token is POSTed once and answered with an HttpOnly,
 * SameSite=Strict session cookie that the console's HTTP reads then use, and its socket.io handshakes through
 * one-use tickets of the session; cross-site requests, fixation, guessing and reused tickets get nothing. TRUST_PROXY lets each test speak from
 * its own client address (X-Forwarded-For from loopback), so one test's failed logins do not slow another's.
 */
class ConsoleLoginTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOKEN = "console-test-token-all-namespaces-01";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    private static SwitchboardServer server;
    private static NodeClientDriver driver;
    private static String origin;

    private record Reply(int status, JsonNode json, HttpResponse<String> raw) {
        String cookie() {
            return raw.headers().firstValue("set-cookie").orElse(null);
        }

        String sessionId() {
            String cookie = cookie();
            return cookie == null ? null : ConsoleCookie.sessionId(java.util.List.of(cookie.split(";")[0]));
        }
    }

    @BeforeAll
    static void start() {
        server = TestServers.start(Map.of("AUTH_TOKENS", TOKEN, "TRUST_PROXY", "true"), EchoNamespace.of("/secure"));
        origin = TestServers.url(server);
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(driver, server);
    }

    @Test
    void loginAnswersAnHttpOnlyStrictCookieThatOpensTheHistory() {
        String ip = newAddress();
        assertThat(get("/ui/api/history", null, ip).status()).isEqualTo(401);
        assertThat(get("/ui/api/session", null, ip).json().path("loginRequired").asBoolean()).isTrue();

        Reply login = login(TOKEN, null, ip, Map.of());
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.cookie()).startsWith("sb_console=").contains("; Path=/", "; HttpOnly", "; SameSite=Strict",
                "; Max-Age=3600").doesNotContain("Secure").doesNotContain(TOKEN);
        assertThat(login.json().toString()).doesNotContain(TOKEN);

        Reply history = get("/ui/api/history", login.sessionId(), ip);
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().path("intervalMs").asInt()).isEqualTo(1000);
        assertThat(history.json().path("capacity").asInt()).isEqualTo(900);
        assertThat(get("/ui/api/session", login.sessionId(), ip).json().path("loggedIn").asBoolean()).isTrue();
    }

    @Test
    void cookieIsSecureWhenThePageCameOverHttps() {
        String ip = newAddress();
        Reply viaProxy = login(TOKEN, null, ip, Map.of("X-Forwarded-Proto", "https"));
        assertThat(viaProxy.cookie()).contains("; Secure");
        Reply httpsOrigin = send(request("/ui/api/login", null, newAddress())
                .header("Origin", origin.replace("http://", "https://")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + TOKEN + "\"}")));
        assertThat(httpsOrigin.status()).isEqualTo(200);
        assertThat(httpsOrigin.cookie()).contains("; Secure");
    }

    @Test
    void crossSiteRequestsAreRefused() {
        String ip = newAddress();
        Reply evil = send(request("/ui/api/login", null, ip).header("Origin", "http://evil.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + TOKEN + "\"}")));
        assertThat(evil.status()).isEqualTo(403);
        assertThat(evil.json().path("error").path("code").asText()).isEqualTo("CROSS_SITE_REQUEST");
        assertThat(evil.cookie()).isNull();

        Reply fetchSite = login(TOKEN, null, ip, Map.of("Sec-Fetch-Site", "cross-site"));
        assertThat(fetchSite.status()).isEqualTo(403);

        // a form post (no preflight) cannot send JSON
        Reply form = send(request("/ui/api/login", null, ip).header("Origin", origin)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)));
        assertThat(form.status()).isEqualTo(415);

        String session = login(TOKEN, null, ip, Map.of()).sessionId();
        Reply read = send(request("/ui/api/history", session, ip).header("Origin", "http://evil.example").GET());
        assertThat(read.status()).isEqualTo(403);
        Reply logout = send(request("/ui/api/logout", session, ip).header("Origin", "http://evil.example")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(logout.status()).isEqualTo(403);
        assertThat(get("/ui/api/history", session, ip).status()).as("a refused logout ends nothing").isEqualTo(200);
    }

    @Test
    void loginMintsAFreshIdAndIgnoresOnesItDidNotMint() {
        String ip = newAddress();
        assertThat(get("/ui/api/history", "chosen-by-the-attacker", ip).status()).isEqualTo(401);
        Reply planted = login(TOKEN, "chosen-by-the-attacker", ip, Map.of());
        assertThat(planted.sessionId()).isNotEqualTo("chosen-by-the-attacker").hasSizeGreaterThanOrEqualTo(43);
        assertThat(get("/ui/api/history", "chosen-by-the-attacker", ip).status()).isEqualTo(401);

        Reply again = login(TOKEN, planted.sessionId(), ip, Map.of());
        assertThat(again.sessionId()).isNotEqualTo(planted.sessionId());
        assertThat(get("/ui/api/history", planted.sessionId(), ip).status()).as("the id before the login").isEqualTo(401);
        assertThat(get("/ui/api/history", again.sessionId(), ip).status()).isEqualTo(200);
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookie() {
        String ip = newAddress();
        String session = login(TOKEN, null, ip, Map.of()).sessionId();
        Reply logout = send(request("/ui/api/logout", session, ip).header("Origin", origin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.cookie()).startsWith("sb_console=;").contains("Max-Age=0");
        assertThat(get("/ui/api/history", session, ip).status()).isEqualTo(401);
    }

    @Test
    void failedLoginsBackOffPerAddressWithoutCheckingTheToken() {
        Reply right = null;
        // the backoff lasts 1 s: a pair of logins that took longer (a descheduled machine) proves nothing, try again
        for (int attempt = 0; attempt < 5 && right == null; attempt++) {
            String ip = newAddress();
            long start = System.nanoTime();
            Reply wrong = login(TOKEN + "-wrong", null, ip, Map.of());
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.json().path("error").path("code").asText()).isEqualTo("INVALID_TOKEN");
            assertThat(wrong.cookie()).isNull();

            Reply next = login(TOKEN, null, ip, Map.of());
            if (Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofMillis(900)) < 0) {
                right = next;
            }
        }
        assertThat(right).as("two logins within the 1 s backoff").isNotNull();
        assertThat(right.status()).as("even the right token waits out the backoff").isEqualTo(429);
        assertThat(right.json().path("error").path("code").asText()).isEqualTo("LOGIN_BACKOFF");
        assertThat(right.raw().headers().firstValue("retry-after")).hasValue("1");
        assertThat(right.cookie()).isNull();

        assertThat(login(TOKEN, null, newAddress(), Map.of()).status()).as("another address is not slowed").isEqualTo(200);
        assertThat(server.metrics().refusalCount("console_login")).isPositive();
    }

    @Test
    void malformedLoginsGetAClearError() {
        String ip = newAddress();
        Reply notJson = send(request("/ui/api/login", null, ip).header("Origin", origin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{token")));
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("error").path("code").asText()).isEqualTo("INVALID_BODY");
        Reply huge = send(request("/ui/api/login", null, ip).header("Origin", origin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + "x".repeat(5000) + "\"}")));
        assertThat(huge.status()).isEqualTo(413);
    }

    @Test
    void aTicketOfTheSessionOpensOneSocketIoHandshake() {
        String ip = newAddress();
        String session = login(TOKEN, null, ip, Map.of()).sessionId();
        Reply ticket = ticket(session, ip, origin);
        assertThat(ticket.status()).isEqualTo(200);
        String value = ticket.json().path("ticket").asText();
        assertThat(value).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(session);
        driver.connect(origin, "/secure", ClientOptions.defaults().auth(Map.of("consoleTicket", value))).awaitConnect(WAIT);

        NodeSocket reused = driver.connect(origin, "/secure",
                ClientOptions.defaults().reconnection(false).auth(Map.of("consoleTicket", value)));
        assertThat(reused.awaitConnectError(WAIT).path("data").path("code").asText()).as("one use").isEqualTo("UNAUTHORIZED");
        NodeSocket madeUp = driver.connect(origin, "/secure",
                ClientOptions.defaults().reconnection(false).auth(Map.of("consoleTicket", "made-up")));
        assertThat(madeUp.awaitConnectError(WAIT).path("data").path("code").asText()).isEqualTo("UNAUTHORIZED");
        // the cookie itself opens no handshake
        NodeSocket cookie = driver.connect(origin, "/secure", ClientOptions.defaults().transports("polling")
                .reconnection(false).extraHeaders(Map.of("Cookie", "sb_console=" + session, "Origin", origin)));
        assertThat(cookie.awaitConnectError(WAIT).path("data").path("code").asText()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void ticketsGoOnlyToPagesOfThisOriginWithALiveSession() {
        String ip = newAddress();
        String session = login(TOKEN, null, ip, Map.of()).sessionId();
        Reply crossSite = ticket(session, ip, "http://localhost:3000"); // an origin CORS allows: still not the console
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.json().toString()).doesNotContain("\"ticket\"");
        assertThat(ticket(null, ip, origin).status()).isEqualTo(401);
        assertThat(ticket("made-up", ip, origin).status()).isEqualTo(401);

        String waiting = ticket(session, ip, origin).json().path("ticket").asText();
        send(request("/ui/api/logout", session, ip).header("Origin", origin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        NodeSocket afterLogout = driver.connect(origin, "/secure",
                ClientOptions.defaults().reconnection(false).auth(Map.of("consoleTicket", waiting)));
        assertThat(afterLogout.awaitConnectError(WAIT).path("data").path("code").asText())
                .as("a ticket dies with its session").isEqualTo("UNAUTHORIZED");
    }

    @Test
    void oneSessionAskingForTicketsAgainAndAgainLeavesAnotherOperatorsTicketUsable() {
        String operator = login(TOKEN, null, newAddress(), Map.of()).sessionId();
        String flooderIp = newAddress();
        String flooder = login(TOKEN, null, flooderIp, Map.of()).sessionId();
        String operatorTicket = ticket(operator, newAddress(), origin).json().path("ticket").asText();

        for (int i = 0; i < ConsoleSessions.MAX_TICKETS + 100; i++) {
            assertThat(ticket(flooder, flooderIp, origin).status()).as("ticket #%d of the flood", i).isEqualTo(200);
        }
        driver.connect(origin, "/secure", ClientOptions.defaults().reconnection(false)
                .auth(Map.of("consoleTicket", operatorTicket))).awaitConnect(WAIT);
    }

    private static Reply ticket(String session, String ip, String pageOrigin) {
        return send(request("/ui/api/ticket", session, ip).header("Origin", pageOrigin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
    }

    private static String newAddress() {
        return "198.51.100." + ADDRESSES.getAndIncrement();
    }

    private static Reply login(String token, String cookie, String ip, Map<String, String> headers) {
        HttpRequest.Builder request = request("/ui/api/login", cookie, ip).header("Origin", origin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}"));
        headers.forEach(request::header);
        return send(request);
    }

    private static Reply get(String path, String cookie, String ip) {
        return send(request(path, cookie, ip).GET());
    }

    private static HttpRequest.Builder request(String path, String cookie, String ip) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path)).timeout(WAIT)
                .header("X-Forwarded-For", ip);
        if (cookie != null) {
            request.header("Cookie", ConsoleCookie.NAME + "=" + cookie);
        }
        return request;
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Reply(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
