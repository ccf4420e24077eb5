package dev.switchboard.namespaces.core;

/**
 * A backend a namespace depends on (dockerd, the PM2 daemon), asked now and then whether it answers, for
 * {@code switchboard_backend_up}. {@link #answers()} may block, bounded by the backend's own request timeout.
 */
public interface BackendProbe {

    /** The backend's label: "docker", "pm2". */
    String backend();

    /** One cheap request to the backend: true when it answered. */
    boolean answers();
}
