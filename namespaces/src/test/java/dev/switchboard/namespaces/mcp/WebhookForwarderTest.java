package dev.switchboard.namespaces.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.switchboard.testkit.Await;

/** Against a real HTTP server on loopback. */
class WebhookForwarderTest {
    HttpServer server;
    final List<String> bodies = new ArrayList<>();
    final List<String> authorizations = new ArrayList<>();
    volatile Handler handler = exchange -> 200;
    WebhookForwarder forwarder;

    interface Handler {
        int status(HttpExchange exchange) throws Exception;
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            try {
                status = handler.status(exchange);
            } catch (Exception e) {
                status = 500;
            }
            synchronized (bodies) {
                bodies.add(status + " " + body);
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (forwarder != null) {
            forwarder.close();
        }
        server.stop(0);
    }

    private McpSettings settings(int capacity, int attempts, String token) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        return new McpSettings(url, token, capacity, 1 << 20, attempts, Duration.ofMillis(20), Duration.ofSeconds(5), 64, 0,
                Duration.ZERO, 1 << 20);
    }

    private List<String> bodies() {
        synchronized (bodies) {
            return List.copyOf(bodies);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(condition, Duration.ofSeconds(10), what);
    }

    @Test
    void deliversInOrderWithTheToken() {
        forwarder = new WebhookForwarder(settings(100, 3, "s3cret"));
        for (int i = 0; i < 20; i++) {
            forwarder.offer(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        await(() -> forwarder.delivered() == 20, "20 deliveries");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("200 {\"n\":" + i + "}");
        }
        assertThat(bodies()).containsExactlyElementsOf(expected);
        synchronized (bodies) {
            assertThat(authorizations).containsOnly("Bearer s3cret");
        }
        assertThat(forwarder.retries()).isZero();
    }

    @Test
    void retriesServerErrorsWithBackoffUntilAccepted() {
        AtomicInteger calls = new AtomicInteger();
        handler = exchange -> calls.incrementAndGet() <= 2 ? 503 : 200;
        forwarder = new WebhookForwarder(settings(100, 5, null));
        forwarder.offer("{\"retry\":true}".getBytes(StandardCharsets.UTF_8));
        await(() -> forwarder.delivered() == 1, "delivery after two 503s");
        assertThat(bodies()).containsExactly("503 {\"retry\":true}", "503 {\"retry\":true}", "200 {\"retry\":true}");
        assertThat(forwarder.retries()).isEqualTo(2);
        assertThat(forwarder.failed()).isZero();
    }

    @Test
    void givesUpAfterMaxAttemptsAndDoesNotRetryClientErrors() {
        handler = exchange -> 500;
        forwarder = new WebhookForwarder(settings(100, 3, null));
        forwarder.offer("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        await(() -> forwarder.failed() == 1, "gave up");
        assertThat(bodies()).hasSize(3).allMatch(b -> b.startsWith("500"));
        handler = exchange -> 400;
        forwarder.offer("{\"a\":2}".getBytes(StandardCharsets.UTF_8));
        await(() -> forwarder.failed() == 2, "refused");
        assertThat(bodies()).hasSize(4);
        assertThat(forwarder.retries()).isEqualTo(2);
    }

    @Test
    void retriesWhenNothingListensThenDeliversOnceTheBackendIsBack() throws Exception {
        int port = server.getAddress().getPort();
        server.stop(0);
        forwarder = new WebhookForwarder(new McpSettings(URI.create("http://127.0.0.1:" + port + "/hook"), null, 10,
                1 << 20, 3, Duration.ofMillis(10), Duration.ofSeconds(2), 64, 0, Duration.ZERO, 1 << 20));
        forwarder.offer("{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        await(() -> forwarder.failed() == 1, "gave up on a closed port");
        assertThat(forwarder.retries()).isEqualTo(2);
    }

    @Test
    void fullQueueDropsTheOldest() throws InterruptedException {
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        handler = exchange -> {
            firstArrived.countDown();
            release.await(10, TimeUnit.SECONDS);
            return 200;
        };
        forwarder = new WebhookForwarder(settings(3, 1, null));
        forwarder.offer("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue(); // #1 is in flight, the queue is empty
        for (int i = 2; i <= 10; i++) {
            forwarder.offer(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(forwarder.dropped()).isEqualTo(6);
        assertThat(forwarder.queued()).isEqualTo(3);
        release.countDown();
        await(() -> forwarder.delivered() == 4, "4 deliveries");
        assertThat(bodies()).containsExactly("200 {\"n\":1}", "200 {\"n\":8}", "200 {\"n\":9}", "200 {\"n\":10}");
    }
}
