package dev.switchboard.namespaces.files;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.namespaces.core.ProducerException;

/** A validated {@code watch} argument: {@code {path, recursive?, glob?}} or a plain path string. */
record WatchRequest(String path, boolean recursive, String glob) {
    static WatchRequest parse(JsonNode arg) throws ProducerException {
        if (arg.isTextual()) {
            return new WatchRequest(arg.textValue(), false, null);
        }
        if (!arg.isObject()) {
            throw bad("watch expects {path, recursive?, glob?} or a path string");
        }
        JsonNode path = arg.get("path");
        if (path == null || !path.isTextual() || path.textValue().isBlank()) {
            throw bad("path must be a non-empty string");
        }
        JsonNode recursive = arg.get("recursive");
        if (recursive != null && !recursive.isNull() && !recursive.isBoolean()) {
            throw bad("recursive must be true or false");
        }
        JsonNode glob = arg.get("glob");
        String globText = null;
        if (glob != null && !glob.isNull()) {
            if (!glob.isTextual()) {
                throw bad("glob must be a string");
            }
            globText = glob.textValue();
            try {
                Glob.compile(globText);
            } catch (Glob.InvalidGlobException e) {
                throw bad("invalid glob: " + e.getMessage());
            }
        }
        return new WatchRequest(path.textValue(), recursive != null && recursive.asBoolean(false), globText);
    }

    /** The {@code path} of an {@code unwatch} argument: {@code {path}} or a plain string. */
    static String parseUnwatch(JsonNode arg) throws ProducerException {
        JsonNode path = arg.isObject() ? arg.get("path") : arg;
        if (path == null || !path.isTextual() || path.textValue().isBlank()) {
            throw bad("unwatch expects {path} or a path string");
        }
        return path.textValue();
    }

    private static ProducerException bad(String message) {
        return new ProducerException("BAD_REQUEST", message);
    }
}
