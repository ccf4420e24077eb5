package dev.switchboard.namespaces.services;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;

/** What became of a container after its follow ended: decides whether a stream resumes, waits or closes. */
record ContainerFate(Kind kind, Long exitCode, String detail) {

    enum Kind {
        RUNNING,
        /** stopped, but Docker will start it again (restart policy, or restarting now) */
        WAITING_RESTART,
        EXITED,
        REMOVED,
        /** the engine did not answer */
        UNREACHABLE
    }

    static ContainerFate of(DockerClients docker, String containerId) {
        InspectContainerResponse inspect;
        try {
            inspect = docker.requests().inspectContainerCmd(containerId).exec();
        } catch (RuntimeException e) {
            if (DockerErrors.isNotFound(e)) {
                return new ContainerFate(Kind.REMOVED, null, "removed");
            }
            return new ContainerFate(Kind.UNREACHABLE, null, e.getClass().getSimpleName());
        }
        InspectContainerResponse.ContainerState state = inspect.getState();
        Long exitCode = state == null ? null : state.getExitCodeLong();
        if (state != null && Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getPaused())) {
            return new ContainerFate(Kind.RUNNING, null, "running");
        }
        if (state != null && (Boolean.TRUE.equals(state.getRestarting()) || Boolean.TRUE.equals(state.getPaused())
                || restartsAlways(inspect.getHostConfig()))) {
            return new ContainerFate(Kind.WAITING_RESTART, exitCode, state.getStatus());
        }
        return new ContainerFate(Kind.EXITED, exitCode, state == null ? "exited" : state.getStatus());
    }

    private static boolean restartsAlways(HostConfig hostConfig) {
        if (hostConfig == null || hostConfig.getRestartPolicy() == null) {
            return false;
        }
        RestartPolicy policy = hostConfig.getRestartPolicy();
        String name = policy.getName();
        return "always".equals(name) || "unless-stopped".equals(name);
    }
}
