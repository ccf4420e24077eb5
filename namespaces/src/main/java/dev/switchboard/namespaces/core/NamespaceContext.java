package dev.switchboard.namespaces.core;

import java.util.concurrent.ScheduledExecutorService;

/** What the server lends a namespace while it is installed. */
public record NamespaceContext(ScheduledExecutorService scheduler) {
}
