package dev.switchboard.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;

/**
 * The default text log through the shipped logback.xml: one event is one line, whatever a client put in a logged
 * value (an event name, a room, a namespace): a line break cannot forge a second line, and a value cannot make a
 * line longer than the bound.
 */
class TextLogLineTest {
    private final LoggerContext context = new LoggerContext();
    private Encoder<ILoggingEvent> encoder;

    @BeforeEach
    void configureAsShipped() throws Exception {
        encoder = ShippedLogback.encoder(context, "text");
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void aLineBreakInALoggedValueCannotForgeASecondLine() {
        String text = encode("event=interceptor_failed name={}", "x\r\n2026-12-07T00:00:00.000Z ERROR [main] forged - pwned");
        assertThat(text.split("\n")).as("one line per event").hasSize(1);
        assertThat(text).contains("name=x  2026-12-07T00:00:00.000Z ERROR [main] forged - pwned");
    }

    @Test
    void aHugeLoggedValueIsCutAtTheLineBound() {
        String text = encode("event=x value={}", "v".repeat(100_000));
        assertThat(text.split("\n")).hasSize(1);
        assertThat(text.length()).isLessThan(8192 + 200);
        assertThat(text).contains("event=x value=vvv");
    }

    @Test
    void aStackTraceStaysOnTheEventsLine() {
        Logger log = context.getLogger("x");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), log, Level.WARN, "event=failed", new IllegalStateException("boom"), null);
        String text = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(text.stripTrailing().split("\n")).hasSize(1);
        assertThat(text).contains("event=failed").contains("IllegalStateException: boom");
    }

    private String encode(String format, Object... args) {
        Logger log = context.getLogger("dev.switchboard.test");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), log, Level.INFO, format, null, args);
        return new String(encoder.encode(event), StandardCharsets.UTF_8).stripTrailing();
    }
}
