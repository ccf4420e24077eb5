package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import dev.switchboard.emitapi.EmitWarmUp;

/** The server warms POST /emit up once at start, before its ports open, and nothing of it shows afterwards. */
class StartUpWarmUpTest {

    @Test
    void theWarmUpRunsOnceBeforeThePortsOpenAndLeavesNoTrace() {
        Logger logger = (Logger) LoggerFactory.getLogger(EmitWarmUp.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (SwitchboardServer server = TestServers.start(Map.of(), List.of(new EchoNamespace("/chat")))) {
            List<String> runs = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("event=emit_warm_up ")).toList();
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0)).containsPattern("requests=([1-9]\\d*) answered=\\1 ");
            long elapsed = Long.parseLong(runs.get(0).replaceAll(".*elapsedMs=(\\d+).*", "$1"));
            assertThat(elapsed).as("bounded by its 1.5 s budget").isLessThan(1_500 + 1_000);

            String metrics = Http.get(server.apiPort(), "/metrics").body();
            assertThat(metrics).doesNotContain("warm-up").doesNotContainPattern("switchboard_emits_total\\{[^}]*} [1-9]");
            String stats = Http.get(server.apiPort(), "/stats").body();
            assertThat(stats).contains("/chat").doesNotContain("warm-up");
        } finally {
            logger.detachAppender(appender);
        }
    }
}
