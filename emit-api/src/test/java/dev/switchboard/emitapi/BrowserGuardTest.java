package dev.switchboard.emitapi;

import dev.switchboard.engineio.HostCheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Origin / Sec-Fetch-Site / Host rules and the Content-Type rule, without a server. */
class BrowserGuardTest {
    private final SwitchboardMetrics metrics = new SwitchboardMetrics();
    private final BrowserGuard guard = new BrowserGuard(HostCheck.loopbackAnd(List.of()), new BearerAuth(null), metrics);

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void backendsSendNeitherOriginNorFetchMetadata() {
        assertThat(guard.refusal("127.0.0.1:3008", null, null, null)).isNull();
        assertThat(guard.refusal(null, null, null, null)).isNull();
    }

    @Test
    void crossSiteAndSameSitePagesAreRefused() {
        for (String site : List.of("cross-site", "same-site", "unexpected")) {
            ApiException refusal = guard.refusal("127.0.0.1:3008", null, site, null);
            assertThat(refusal).as(site).isNotNull();
            assertThat(refusal.status()).isEqualTo(403);
            assertThat(refusal.code()).isEqualTo("CROSS_SITE_REQUEST");
        }
        for (String origin : List.of("http://attacker.example", "null", "http://127.0.0.1:3000", "ws://127.0.0.1:3008",
                "http://127.0.0.1:30080", "file://")) {
            ApiException refusal = guard.refusal("127.0.0.1:3008", origin, null, null);
            assertThat(refusal).as(origin).isNotNull();
            assertThat(refusal.code()).isEqualTo("CROSS_SITE_REQUEST");
            assertThat(refusal.getMessage()).contains(origin);
        }
    }

    @Test
    void theServersOwnOriginAndTypedUrlsPass() {
        assertThat(guard.refusal("127.0.0.1:3008", "http://127.0.0.1:3008", "same-origin", null)).isNull();
        assertThat(guard.refusal("localhost:3008", null, "none", null)).isNull();
    }

    @Test
    void theConsolesRuleForAHostWithoutPortHoldsHereToo() {
        // one rule (SameOrigin) for the API and the console: behind a proxy that drops the port, the name decides
        assertThat(guard.refusal("localhost", "http://localhost:8080", null, null)).isNull();
        assertThat(guard.refusal("localhost", "http://localhost:8080", "same-site", null).code())
                .isEqualTo("CROSS_SITE_REQUEST");
        assertThat(guard.refusal("localhost", "http://127.0.0.1:8080", null, null).code())
                .isEqualTo("CROSS_SITE_REQUEST");
    }

    @Test
    void aForeignHostIsRefusedBeforeAnythingElse() {
        ApiException refusal = guard.refusal("rebound.attacker.example:3008", "http://rebound.attacker.example:3008",
                "same-origin", null);
        assertThat(refusal.status()).isEqualTo(403);
        assertThat(refusal.code()).isEqualTo("HOST_NOT_ALLOWED");
        assertThat(refusal.getMessage()).contains("rebound.attacker.example").contains("ALLOWED_HOSTS");
    }

    @Test
    void aTokenHolderMayUseAnyHostAndAWrongTokenMayNot() {
        String token = "host-rule-token-0123456789";
        BrowserGuard tokened = new BrowserGuard(HostCheck.loopbackAnd(List.of()), new BearerAuth(token), metrics);
        assertThat(tokened.refusal("10.0.0.5:3008", null, null, "Bearer " + token)).isNull();
        assertThat(tokened.refusal("10.0.0.5:3008", null, null, "Bearer wrong").code()).isEqualTo("HOST_NOT_ALLOWED");
        assertThat(tokened.refusal("10.0.0.5:3008", null, null, null).code()).isEqualTo("HOST_NOT_ALLOWED");
        // without a configured token there is nothing to present
        assertThat(guard.refusal("10.0.0.5:3008", null, null, "Bearer " + token).code()).isEqualTo("HOST_NOT_ALLOWED");
    }

    @Test
    void onlyJsonBodiesAreEmitted() {
        for (String type : List.of("application/json", "APPLICATION/JSON", "application/json; charset=utf-8",
                "application/json;charset=UTF-8")) {
            assertThat(EmitEndpoint.isJson(type)).as(type).isTrue();
        }
        for (String type : List.of("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonp", "application/json-patch+json", "")) {
            assertThat(EmitEndpoint.isJson(type)).as(type).isFalse();
        }
        assertThat(EmitEndpoint.isJson(null)).isFalse();
    }
}
