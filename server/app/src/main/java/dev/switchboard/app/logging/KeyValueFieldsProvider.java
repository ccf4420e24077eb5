package dev.switchboard.app.logging;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;

import ch.qos.logback.classic.spi.ILoggingEvent;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Adds the {@code key=value} pairs of a log line's message ({@link KeyValueText}) as top-level JSON string fields
 * of the Logstash encoder's output; {@code message} keeps the whole text. A key that names one of the encoder's
 * own fields ({@code message}, {@code level}, ...) is written as {@code kv_<key>}, so a log line can never
 * overwrite or duplicate them. Values stay strings: one field keeps one type in Elasticsearch or Loki, whatever a
 * given line holds ({@code id=42} here, {@code id=abc} there).
 */
public final class KeyValueFieldsProvider extends AbstractJsonProvider<ILoggingEvent> {
    public static final String COLLISION_PREFIX = "kv_";
    /** The field names LogstashEncoder writes by default (and those it may add: caller data, tags). */
    static final Set<String> RESERVED = Set.of("@timestamp", "@version", "message", "logger_name", "thread_name",
            "level", "level_value", "stack_trace", "tags", "caller_class_name", "caller_method_name",
            "caller_file_name", "caller_line_number", "sequence");

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        for (Map.Entry<String, String> pair : KeyValueText.parse(BoundedMessageProvider.bounded(event.getFormattedMessage())).entrySet()) {
            String key = pair.getKey();
            generator.writeStringField(RESERVED.contains(key) || key.startsWith(COLLISION_PREFIX)
                    ? COLLISION_PREFIX + key : key, pair.getValue());
        }
    }
}
