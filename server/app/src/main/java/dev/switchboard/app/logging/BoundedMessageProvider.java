package dev.switchboard.app.logging;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;

import ch.qos.logback.classic.spi.ILoggingEvent;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * The JSON log's {@code message} field, cut at {@link #MAX_MESSAGE_CHARS} like the text log's (logback.xml):
 * logged values may come from clients (event names, rooms), and one of them must not make a line of megabytes.
 */
public final class BoundedMessageProvider extends AbstractJsonProvider<ILoggingEvent> {
    /** The same bound as the text pattern's {@code %.-8192msg}. */
    public static final int MAX_MESSAGE_CHARS = 8192;

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        generator.writeStringField("message", bounded(event.getFormattedMessage()));
    }

    static String bounded(String message) {
        return message == null || message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS);
    }
}
