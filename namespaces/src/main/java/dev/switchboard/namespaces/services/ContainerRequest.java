package dev.switchboard.namespaces.services;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.logs.RequestArgs;

/**
 * The argument of a /services request naming a container. Besides {@code {container}}, existing frontends send
 * {@code containerId}, {@code containerName} or {@code id}, or the container as a plain string; all name the
 * same thing. Two of them naming different containers are refused rather than one picked.
 */
final class ContainerRequest {
    static final List<String> FIELDS = List.of("container", "containerId", "containerName", "id");

    private ContainerRequest() {
    }

    /** The request as an object whose {@code container} holds the container, whichever form named it. */
    static JsonNode normalize(JsonNode arg, String event) throws ProducerException {
        if (arg != null && (arg.isTextual() || arg.isIntegralNumber())) {
            ObjectNode request = JsonNodeFactory.instance.objectNode();
            request.set("container", arg);
            return request;
        }
        JsonNode args = RequestArgs.object(arg, event);
        String field = null;
        JsonNode value = null;
        for (String name : FIELDS) {
            JsonNode candidate = args.get(name);
            if (candidate == null || candidate.isNull()) {
                continue;
            }
            if (value == null) {
                field = name;
                value = candidate;
            } else if (!candidate.equals(value)) {
                throw new ProducerException(RequestArgs.BAD_REQUEST,
                        "'" + field + "' and '" + name + "' name different containers; give one");
            }
        }
        if (value == null) {
            throw new ProducerException(RequestArgs.BAD_REQUEST,
                    "'container' is required (or 'containerId', 'containerName', 'id', or the name as a plain string)");
        }
        if (field.equals("container")) {
            return args;
        }
        ObjectNode request = ((ObjectNode) args).deepCopy();
        request.set("container", value);
        return request;
    }
}
