package dev.switchboard.namespaces.services;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

/**
 * The two Docker clients of /services: one for short calls (inspect, list) with a response timeout, one for
 * follows (logs, stats, events) without one, since a quiet follow must not time out. Counts the streaming
 * requests ({@link DockerFollow}) open now.
 */
public final class DockerClients implements AutoCloseable {
    private final DockerClient requests;
    private final DockerClient streams;
    private final AtomicInteger openStreams = new AtomicInteger();

    public DockerClients(DockerSettings settings) {
        this.requests = create(settings.dockerHost(), settings.requestTimeout(), 16);
        this.streams = create(settings.dockerHost(), null, 1024);
    }

    public DockerClient requests() {
        return requests;
    }

    public DockerClient streams() {
        return streams;
    }

    /** Streaming requests to dockerd (follows, log reads, stats, events) started and not yet ended. */
    public int openStreams() {
        return openStreams.get();
    }

    void streamOpened() {
        openStreams.incrementAndGet();
    }

    void streamEnded() {
        openStreams.decrementAndGet();
    }

    private static DockerClient create(String host, Duration responseTimeout, int maxConnections) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .build();
        ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(URI.create(host))
                .maxConnections(maxConnections)
                .connectionTimeout(Duration.ofSeconds(3));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    @Override
    public void close() {
        closeQuietly(requests);
        closeQuietly(streams);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (Exception ignored) {
            // shutting down
        }
    }
}
