package dev.switchboard.namespaces.logs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.namespaces.core.ProducerException;

/** Validation of client arguments; every failure is a BAD_REQUEST naming the field. */
public final class RequestArgs {
    public static final String BAD_REQUEST = "BAD_REQUEST";
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,254}");
    /** Docker's fixed-width RFC 3339 form, so times compare as strings. */
    private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'");

    /** Which output streams of a log a subscriber wants; at least one. */
    public record LogStreams(boolean stdout, boolean stderr) {
    }

    private RequestArgs() {
    }

    public static JsonNode object(JsonNode arg, String event) throws ProducerException {
        if (arg == null || !arg.isObject()) {
            throw new ProducerException(BAD_REQUEST, event + " expects an object argument");
        }
        return arg;
    }

    /** A required name or id: letters, digits and {@code _ . : @ / -}, at most 255 characters. */
    public static String reference(JsonNode obj, String field) throws ProducerException {
        JsonNode value = obj.get(field);
        if (value != null && value.isIntegralNumber()) {
            return value.asText();
        }
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ProducerException(BAD_REQUEST, "'" + field + "' is required (a non-empty string)");
        }
        String text = value.asText().trim();
        if (!REFERENCE.matcher(text).matches()) {
            throw new ProducerException(BAD_REQUEST, "'" + field + "' has characters that are not allowed: " + abbreviate(text));
        }
        return text;
    }

    public static String optionalText(JsonNode obj, String field, int maxLength) throws ProducerException {
        JsonNode value = obj.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > maxLength) {
            throw new ProducerException(BAD_REQUEST, "'" + field + "' must be a non-empty string of at most " + maxLength + " characters");
        }
        return value.asText();
    }

    public static int tail(JsonNode obj, int defaultTail, int maxTail) throws ProducerException {
        JsonNode value = obj.get("tail");
        if (value == null || value.isNull()) {
            return defaultTail;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > maxTail) {
            throw new ProducerException(BAD_REQUEST, "'tail' must be an integer from 0 to " + maxTail);
        }
        return value.asInt();
    }

    public static boolean flag(JsonNode obj, String field, boolean fallback) throws ProducerException {
        JsonNode value = obj.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new ProducerException(BAD_REQUEST, "'" + field + "' must be true or false");
        }
        return value.asBoolean();
    }

    /** The {@code stdout} and {@code stderr} flags (both true by default); turning both off is refused. */
    public static LogStreams logStreams(JsonNode obj) throws ProducerException {
        boolean stdout = flag(obj, "stdout", true);
        boolean stderr = flag(obj, "stderr", true);
        if (!stdout && !stderr) {
            throw new ProducerException(BAD_REQUEST, "at least one of 'stdout' and 'stderr' must be true");
        }
        return new LogStreams(stdout, stderr);
    }

    /** {@code since}: Unix seconds (number) or an ISO-8601 time; returned in Docker's fixed-width UTC form. */
    public static String since(JsonNode obj) throws ProducerException {
        JsonNode value = obj.get("since");
        if (value == null || value.isNull()) {
            return null;
        }
        Instant instant;
        if (value.isNumber() && value.asDouble() >= 0) {
            double seconds = value.asDouble();
            long whole = (long) Math.floor(seconds);
            instant = Instant.ofEpochSecond(whole, (long) ((seconds - whole) * 1e9));
        } else if (value.isTextual()) {
            try {
                instant = OffsetDateTime.parse(value.asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new ProducerException(BAD_REQUEST, "'since' must be Unix seconds or an ISO-8601 time with offset");
            }
        } else {
            throw new ProducerException(BAD_REQUEST, "'since' must be Unix seconds or an ISO-8601 time with offset");
        }
        return FIXED.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
