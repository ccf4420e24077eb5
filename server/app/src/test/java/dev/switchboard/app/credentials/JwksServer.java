package dev.switchboard.app.credentials;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real JWKS endpoint on loopback (JDK HttpServer): serves a key set, fails, hangs, oversends, trickles a response
 * that never ends or redirects, on demand.
 */
public final class JwksServer implements AutoCloseable {
    public enum Mode { SERVE, FAIL, HANG, HUGE, TRICKLE, REDIRECT, HELD }

    /** TRICKLE: one byte per this, for at most {@link #TRICKLE_FOR} (bounded), each well within a read timeout. */
    static final java.time.Duration TRICKLE_EVERY = java.time.Duration.ofMillis(200);
    static final java.time.Duration TRICKLE_FOR = java.time.Duration.ofSeconds(30);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long lastRequestNanos = System.nanoTime();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile String body = "{\"keys\":[]}";
    private volatile Mode mode = Mode.SERVE;
    private volatile String location;
    private final CountDownLatch released = new CountDownLatch(1);

    public JwksServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/.well-known/jwks.json", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Publishes the public parts of {@code keys}. */
    public JwksServer publish(List<JWK> keys) {
        body = new JWKSet(keys).toPublicJWKSet().toString();
        return this;
    }

    /** Serves {@code json} as it is (e.g. a set with secret or private keys a careless provider published). */
    public JwksServer publishRaw(String json) {
        body = json;
        return this;
    }

    public JwksServer mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** REDIRECT: answers 302 to {@code location}. */
    public JwksServer redirectTo(String location) {
        this.location = location;
        return mode(Mode.REDIRECT);
    }

    /** HELD: answers (as SERVE) only once this is called, or after 10 s. */
    public void release() {
        released.countDown();
    }

    public int requests() {
        return requests.get();
    }

    /** How long ago the last request came (since start when none came). */
    public java.time.Duration sinceLastRequest() {
        return java.time.Duration.ofNanos(System.nanoTime() - lastRequestNanos);
    }

    public URL url() {
        try {
            return new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        lastRequestNanos = System.nanoTime();
        requests.incrementAndGet();
        try (exchange) {
            switch (mode) {
                case FAIL -> exchange.sendResponseHeaders(503, -1);
                case HANG -> {
                    closing.await(10, TimeUnit.SECONDS); // the client must give up long before
                    exchange.sendResponseHeaders(503, -1);
                }
                case HUGE -> {
                    exchange.sendResponseHeaders(200, 0);
                    byte[] chunk = new byte[64 * 1024];
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (int i = 0; i < 64; i++) { // 4 MiB, above the 1 MiB bound
                            out.write(chunk);
                        }
                    } catch (IOException e) {
                        // the client hung up: what it should do
                    }
                }
                case TRICKLE -> {
                    exchange.sendResponseHeaders(200, 0); // chunked, never finished within any read timeout
                    try (OutputStream out = exchange.getResponseBody()) {
                        long until = System.nanoTime() + TRICKLE_FOR.toNanos();
                        while (System.nanoTime() < until && !closing.await(TRICKLE_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                            out.write(' '); // JSON whitespace: the set never comes
                            out.flush();
                        }
                    } catch (IOException e) {
                        // the client hung up: what it should do
                    }
                }
                case REDIRECT -> {
                    exchange.getResponseHeaders().set("Location", location);
                    exchange.sendResponseHeaders(302, -1);
                }
                case HELD, SERVE -> {
                    if (mode == Mode.HELD) {
                        released.await(10, TimeUnit.SECONDS);
                    }
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
