package dev.switchboard.namespaces.services;

import java.util.concurrent.ScheduledExecutorService;

import com.github.dockerjava.api.command.InspectContainerResponse;

import dev.switchboard.namespaces.core.Producer;
import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;

/** Opens one Docker log follow per {@link LogTopic}; see {@link ContainerLogStream}. */
public final class ContainerLogProducer implements Producer<LogTopic> {
    private final DockerClients docker;
    private final DockerSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ContainerEvents events;

    public ContainerLogProducer(DockerClients docker, DockerSettings settings, ScheduledExecutorService scheduler,
                                ContainerEvents events) {
        this.docker = docker;
        this.settings = settings;
        this.scheduler = scheduler;
        this.events = events;
    }

    @Override
    public Upstream open(LogTopic topic, StreamSink sink) throws ProducerException {
        InspectContainerResponse container;
        try {
            container = docker.requests().inspectContainerCmd(topic.container()).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.translate(topic.container(), e);
        }
        ContainerLogStream stream = new ContainerLogStream(docker, settings, scheduler, events, topic, container.getId(), sink);
        try {
            stream.loadBacklog();
        } catch (RuntimeException e) {
            stream.close();
            throw DockerErrors.translate(topic.container(), e);
        }
        return stream;
    }
}
