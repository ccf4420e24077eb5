package dev.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channels.postgres.PgBridge;
import dev.switchboard.channels.postgres.PgBridgeRoute;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL cluster: NOTIFY from psql reaches a plain (npm ws) and a Socket.IO subscriber of the mapped
 * room; the database restarts mid-run and the bridge is back, as /health's bridge status says.
 */
class PgBridgeTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static PostgresCluster pg;

    @BeforeAll
    static void startDatabase() {
        pg = PostgresCluster.start();
    }

    @AfterAll
    static void stopDatabase() {
        if (pg != null) pg.close();
    }

    @Test
    void notifyReachesBothKindsOfClientAndSurvivesARestart() {
        try (ChannelsFixture server = new ChannelsFixture();
             PgBridge bridge = new PgBridge(pg.jdbcUrl(), PgBridgeRoute.parse(
                     "jobs:/mcp:agent:{agent_id}:job, alerts:/mcp:global:alert"), server.channels::relay,
                     Duration.ofMillis(100), Duration.ofMillis(500)).start();
             NodeClientDriver driver = NodeClientDriver.start();
             NodePlainClient plain = NodePlainClient.connect(server.wsUrl("agent_id=7&session_id=" + ChannelsFixture.session("7"))).awaitOpen()) {
            NodeSocket sio = driver.connect(server.ioUrl(), "/mcp");
            sio.awaitConnect(WAIT);
            sio.emitWithAck("join", WAIT, "agent:7");
            plain.send("{\"type\":\"subscribe\",\"channel\":\"agents/7\",\"id\":\"s1\"}");
            plain.send("{\"type\":\"subscribe\",\"channel\":\"global\",\"id\":\"s2\"}");
            assertThat(plain.awaitReply("s2", WAIT).path("success").asBoolean()).isTrue();
            Await.until(() -> bridge.state() == PgBridge.State.LISTENING, "bridge listening");

            pg.psql("NOTIFY jobs, '{\"agent_id\":\"7\",\"job\":\"build\",\"n\":1}'");
            assertThat(sio.awaitEvent("job", WAIT).get(0).path("job").asText()).isEqualTo("build");
            JsonNode plainJob = plain.await(m -> "job".equals(m.path("event").asText()), WAIT, "job on agents/7");
            assertThat(plainJob.path("channel").asText()).isEqualTo("agents/7");
            assertThat(plainJob.path("data").path("n").asInt()).isEqualTo(1);

            // bad input: not JSON is relayed as a string, a payload without the room's field is counted as rejected
            pg.psql("NOTIFY alerts, 'disk almost full'");
            assertThat(plain.await(m -> "alert".equals(m.path("event").asText()), WAIT, "alert").path("data").asText())
                    .isEqualTo("disk almost full");
            pg.psql("NOTIFY jobs, '{\"job\":\"no agent\"}'");
            Await.until(() -> ((Number) bridge.status().get("rejected")).longValue() == 1, "rejected counted");

            pg.stopServer();
            Await.until(() -> bridge.state() != PgBridge.State.LISTENING, "bridge notices the database is gone");
            assertThat(bridge.status().get("status")).isEqualTo("reconnecting");
            assertThat((String) bridge.status().get("lastError")).isNotBlank();
            pg.startServer();
            Await.until(() -> bridge.state() == PgBridge.State.LISTENING, "bridge listening again");
            assertThat(((Number) bridge.status().get("reconnects")).longValue()).isEqualTo(1);

            pg.psql("NOTIFY jobs, '{\"agent_id\":\"7\",\"job\":\"deploy\",\"n\":2}'");
            assertThat(sio.awaitEvent("job", args -> "deploy".equals(args.get(0).path("job").asText()), WAIT)).isNotNull();
            assertThat(plain.await(m -> m.path("data").path("n").asInt() == 2, WAIT, "job after restart")
                    .path("channel").asText()).isEqualTo("agents/7");
            assertThat(((Number) bridge.status().get("relayed")).longValue()).isEqualTo(3);
        }
    }

    /**
     * Any role that can connect to the database may NOTIFY any channel (no privilege needed): a flood of payloads
     * without the room's field must not become a flood of WARN lines. At most one a second, saying how many were
     * held back; every one is still counted, and a good notification after the flood is relayed.
     */
    @Test
    void aNotifyFloodWithoutTheRoomFieldLogsAtMostOneLineASecond() {
        int flood = 5_000;
        Logger logger = (Logger) LoggerFactory.getLogger(PgBridge.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        List<String> relayedRooms = new CopyOnWriteArrayList<>();
        try (PgBridge bridge = new PgBridge(pg.jdbcUrl(), PgBridgeRoute.parse("flood:/mcp:agent:{agent_id}:job"),
                (namespace, room, event, data) -> {
                    relayedRooms.add(room);
                    return 0;
                }, Duration.ofMillis(100), Duration.ofMillis(500)).start()) {
            Await.until(() -> bridge.state() == PgBridge.State.LISTENING, "bridge listening");
            long started = System.nanoTime();
            pg.psql("SELECT count(pg_notify('flood', json_build_object('job', i)::text)) FROM generate_series(1, " + flood + ") i");
            Await.until(() -> ((Number) bridge.status().get("rejected")).longValue() == flood, "every dropped notification counted");
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

            List<String> warnings;
            synchronized (lines.list) {
                warnings = lines.list.stream().filter(e -> e.getLevel() == Level.WARN)
                        .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("pg notification dropped")).toList();
            }
            assertThat(warnings).hasSizeBetween(1, (int) seconds + 2);
            assertThat(warnings.get(0)).contains("reason=room_field_missing");

            pg.psql("NOTIFY flood, '{\"agent_id\":\"9\"}'");
            Await.until(() -> relayedRooms.contains("agent:9"), "a good notification after the flood is relayed");
            assertThat(relayedRooms).containsExactly("agent:9");
        } finally {
            logger.detachAppender(lines);
        }
    }
}
