package dev.switchboard.namespaces.services;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;

import dev.switchboard.namespaces.core.ProducerException;

/** Turns docker-java failures into the client-facing codes NOT_FOUND and BACKEND_UNAVAILABLE. */
final class DockerErrors {
    static final String NOT_FOUND = "NOT_FOUND";
    static final String BACKEND_UNAVAILABLE = "BACKEND_UNAVAILABLE";

    private DockerErrors() {
    }

    static ProducerException translate(String container, RuntimeException e) {
        if (e instanceof NotFoundException) {
            return new ProducerException(NOT_FOUND, "no such container: " + container, e);
        }
        if (e instanceof DockerException) {
            return new ProducerException(BACKEND_UNAVAILABLE, "docker engine refused the request: " + firstLine(e.getMessage()), e);
        }
        return new ProducerException(BACKEND_UNAVAILABLE, "docker engine unreachable: " + rootMessage(e), e);
    }

    static boolean isNotFound(Throwable e) {
        return e instanceof NotFoundException;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : " (" + firstLine(message) + ")");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
