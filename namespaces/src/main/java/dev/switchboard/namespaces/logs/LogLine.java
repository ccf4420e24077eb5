package dev.switchboard.namespaces.logs;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One log line as sent to clients: {@code {stream: "stdout"|"stderr", line, timestamp}}.
 * {@code timestamp} is the source's RFC 3339 time (Docker's fixed-width nanoseconds, UTC), or absent when unknown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogLine(String stream, String line, String timestamp) {
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";

    public LogLine withoutTimestamp() {
        return timestamp == null ? this : new LogLine(stream, line, null);
    }
}
