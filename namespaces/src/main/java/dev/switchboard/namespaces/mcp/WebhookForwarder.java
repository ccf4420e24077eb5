package dev.switchboard.namespaces.mcp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts JSON bodies to the backend webhook, one at a time and in order, from a bounded queue: when the queue is
 * full the oldest body is dropped (and counted), so a slow or dead backend costs bounded memory. A failed post
 * (connection error, timeout, 5xx, 408, 429) is retried with exponential backoff up to {@code maxAttempts}; other
 * 4xx answers are final.
 */
final class WebhookForwarder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookForwarder.class);
    private static final long MAX_BACKOFF_MS = 10_000;

    private final McpSettings settings;
    private final HttpClient client;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final Thread sender;
    private volatile boolean closed;

    WebhookForwarder(McpSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.sender = new Thread(this::run, "mcp-webhook-forwarder");
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues a body; drops the oldest queued ones when over the count or byte bound. */
    void offer(byte[] body) {
        synchronized (queue) {
            if (closed) {
                return;
            }
            while (!queue.isEmpty() && (queue.size() >= settings.queueCapacity() || queuedBytes + body.length > settings.queueMaxBytes())) {
                queuedBytes -= queue.removeFirst().length;
                long total = dropped.incrementAndGet();
                if (total == 1 || total % 1000 == 0) {
                    log.warn("mcp forward queue full, oldest dropped dropped={} capacity={}", total, settings.queueCapacity());
                }
            }
            queue.addLast(body);
            queuedBytes += body.length;
            queue.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            byte[] body;
            synchronized (queue) {
                while (queue.isEmpty() && !closed) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                body = queue.removeFirst();
                queuedBytes -= body.length;
            }
            try {
                deliver(body);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void deliver(byte[] body) throws InterruptedException {
        long backoff = settings.initialBackoff().toMillis();
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            String outcome;
            try {
                HttpResponse<Void> response = client.send(request(body), HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    delivered.incrementAndGet();
                    return;
                }
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    failed.incrementAndGet();
                    log.warn("mcp forward refused status={} url={}", status, settings.forwardUrl());
                    return;
                }
                outcome = "status=" + status;
            } catch (IOException e) {
                outcome = "error=" + e.getClass().getSimpleName();
            }
            if (attempt == settings.maxAttempts() || closed) {
                failed.incrementAndGet();
                log.warn("mcp forward gave up attempts={} last={} url={}", attempt, outcome, settings.forwardUrl());
                return;
            }
            retries.incrementAndGet();
            log.debug("mcp forward retry attempt={} last={} backoffMs={}", attempt, outcome, backoff);
            Thread.sleep(backoff); // the sender thread's own pacing; nothing else waits on it
            backoff = Math.min(MAX_BACKOFF_MS, Math.max(1, backoff * 2));
        }
    }

    private HttpRequest request(byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.forwardUrl())
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.forwardToken() != null) {
            builder.header("Authorization", "Bearer " + settings.forwardToken());
        }
        return builder.build();
    }

    URI url() {
        return settings.forwardUrl();
    }

    long delivered() {
        return delivered.get();
    }

    long dropped() {
        return dropped.get();
    }

    long failed() {
        return failed.get();
    }

    long retries() {
        return retries.get();
    }

    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    @Override
    public void close() {
        synchronized (queue) {
            closed = true;
            queue.clear();
            queuedBytes = 0;
            queue.notifyAll();
        }
        sender.interrupt();
    }
}
