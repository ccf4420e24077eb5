package dev.switchboard.namespaces.core;

/**
 * The source behind a namespace: opens one upstream (a Docker log follow, a file watcher, an OSHI sampler)
 * for a topic. {@link SharedStreams} opens it for the first subscriber of the topic, shares it with every
 * later one and closes it when the last one leaves.
 *
 * @param <T> the topic: what subscribers ask for (a container id, a path, a sampling interval)
 */
@FunctionalInterface
public interface Producer<T> {

    /**
     * Starts the upstream; it pushes to {@code sink} (from any thread) until closed.
     *
     * @throws ProducerException with a message fit for the client (unknown container, engine unreachable)
     */
    Upstream open(T topic, StreamSink sink) throws ProducerException;
}
