package dev.switchboard.namespaces.services;

import java.io.Closeable;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ending a Docker follow (logs, stats, events). */
final class DockerFollows {
    private static final Logger log = LoggerFactory.getLogger(DockerFollows.class);

    private DockerFollows() {
    }

    /** Closes the follow on the executor: closing the response may block briefly on its connection. */
    static void closeLater(Executor executor, Closeable follow, String kind, String container) {
        executor.execute(() -> {
            try {
                follow.close();
            } catch (Exception e) {
                log.debug("closing follow failed kind={} container={}", kind, container, e);
            }
        });
    }
}
