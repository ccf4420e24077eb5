package dev.switchboard.namespaces.services;

import java.net.URI;
import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

/**
 * The two Docker clients of /services: one for short calls (inspect, list) with a response timeout, one for
 * follows (logs, stats, events) without one, since a quiet follow must not time out.
 */
public final class DockerClients implements AutoCloseable {
    private final DockerClient requests;
    private final DockerClient streams;

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
