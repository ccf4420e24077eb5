package dev.switchboard.namespaces.services;

import java.util.concurrent.ScheduledExecutorService;

import com.github.dockerjava.api.command.InspectContainerResponse;

import dev.switchboard.namespaces.core.Producer;
import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;
import dev.switchboard.socketio.Socket;

/**
 * Opens a {@link LogTopic} as the client named it (id, id prefix, name): the name is resolved to the container's
 * id (one inspect) and every name of one container, with the same stream selection, shares one Docker log follow
 * and its history ({@link SharedFollows}, {@link ContainerLogStream}).
 */
public final class ContainerLogProducer implements Producer<LogTopic> {
    private final DockerClients docker;
    private final DockerSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ContainerEvents events;
    private final SharedFollows<LogTopic, ContainerLogStream> follows = new SharedFollows<>(this::follow);

    public ContainerLogProducer(DockerClients docker, DockerSettings settings, ScheduledExecutorService scheduler,
                                ContainerEvents events) {
        this.docker = docker;
        this.settings = settings;
        this.scheduler = scheduler;
        this.events = events;
    }

    /** Docker log follows open now, one per container id however many names it was asked by. */
    int openFollows() {
        return follows.openUpstreams();
    }

    @Override
    public Upstream open(LogTopic topic, StreamSink sink) throws ProducerException {
        InspectContainerResponse container;
        try {
            container = docker.requests().inspectContainerCmd(topic.container()).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.translate(topic.container(), e);
        }
        LogTopic byId = new LogTopic(container.getId(), topic.stdout(), topic.stderr(), topic.timestamps());
        SharedFollows<LogTopic, ContainerLogStream>.View view = follows.attach(byId, topic.container(), sink);
        return new Upstream() {
            @Override
            public void admit(Socket subscriber, Runnable join) {
                view.upstream().admit(subscriber, join, view.label());
            }

            @Override
            public void close() {
                view.detach();
            }
        };
    }

    private ContainerLogStream follow(LogTopic byId, String name, StreamSink sink) throws ProducerException {
        ContainerLogStream stream = new ContainerLogStream(docker, settings, scheduler, events, byId, byId.container(), sink);
        try {
            stream.loadBacklog();
        } catch (RuntimeException e) {
            stream.close();
            throw DockerErrors.translate(name, e);
        }
        return stream;
    }
}
