package dev.switchboard.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;

/** The shipped logback.xml configured into a fresh context: the encoder root logs through, fed events by a test. */
final class ShippedLogback {
    private ShippedLogback() {
    }

    /** {@code format}: "text" (the default) or "json" (what Main sets for LOG_FORMAT=json). */
    static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) throws Exception {
        context.setMDCAdapter(new LogbackMDCAdapter());
        if (!format.equals("text")) {
            context.putProperty("switchboard.logFormat", format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL shipped = ShippedLogback.class.getResource("/logback.xml");
        assertThat(shipped).as("the shipped logback.xml on the class path").isNotNull();
        configurator.doConfigure(shipped);
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(format);
        assertThat(appender).as("root logs through the %s appender", format).isNotNull();
        return appender.getEncoder(); // the shipped encoder, fed events as the appender would
    }
}
