package dev.switchboard.namespaces.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.namespaces.core.NamespaceTestServer;
import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.namespaces.core.NodeClients;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.ServerEvent;

/** /deployments against a real PM2 daemon (temporary PM2_HOME) with the real Node socket.io-client. */
class DeploymentsNamespaceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Prints "out N" / "err N" every 20 ms, unless the file given as first argument exists. */
    private static final String TICKER = """
            const fs = require('fs');
            const pause = process.argv[2];
            let i = 0;
            setInterval(() => {
              if (pause && fs.existsSync(pause)) return;
              i++;
              console.log('out ' + i);
              console.error('err ' + i);
            }, 20);
            """;

    @RegisterExtension
    static final NodeClients clients = new NodeClients();
    private static Pm2Fixture pm2;
    private static Path ticker;
    private NamespaceTestServer server;
    private DeploymentsNamespace deployments;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPm2() throws Exception {
        pm2 = Pm2Fixture.start();
        ticker = pm2.script("ticker.js", TICKER);
    }

    @AfterAll
    static void stopPm2() throws Exception {
        if (pm2 != null) {
            pm2.close();
        }
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private NodeSocket connect(Pm2Settings settings) {
        return connect(settings, RoomAccess.anyRoom());
    }

    private NodeSocket connect(Pm2Settings settings, RoomAccess rooms) {
        server = NamespaceTestServer.start(DeploymentsNamespace.DEFINITION.with(settings), rooms);
        deployments = server.running();
        NodeSocket socket = clients.connect(server, WAIT);
        assertThat(socket.awaitEvent("connected", WAIT).get(0).path("namespace").asText()).isEqualTo("/deployments");
        return socket;
    }

    private String startTicker(String... extraArgs) throws Exception {
        String name = "tick-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> args = new ArrayList<>(List.of("start", ticker.toString(), "--name", name));
        args.addAll(List.of(extraArgs));
        pm2.run(args.toArray(String[]::new));
        return name;
    }

    private static List<String> lines(NodeSocket socket, String stream) {
        List<String> out = new ArrayList<>();
        for (JsonNode args : socket.events("logs")) {
            for (JsonNode line : args.get(0).path("lines")) {
                if (line.path("stream").asText().equals(stream)) {
                    out.add(line.path("line").asText());
                }
            }
        }
        return out;
    }

    private static void assertConsecutive(List<String> lines, String prefix) {
        for (int i = 1; i < lines.size(); i++) {
            int previous = Integer.parseInt(lines.get(i - 1).substring(prefix.length()));
            assertThat(lines.get(i)).as("line after '%s' (no loss, no duplicate)", lines.get(i - 1)).isEqualTo(prefix + (previous + 1));
        }
    }

    private static long lineCountOf(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void appLinesArriveWithTailHonouredAndStreamsSeparated() throws Exception {
        String app = startTicker();
        Path outLog = pm2.home.resolve("logs").resolve(app + "-out.log");
        Await.until(() -> lineCountOf(outLog) >= 20, WAIT, "app wrote 20 lines");
        NodeSocket socket = connect(pm2.settings());
        JsonNode ack = socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", app, "tail", 5)).get(0);
        assertThat(ack.path("ok").asBoolean()).as("ack %s", ack).isTrue();
        Await.until(() -> lines(socket, "stdout").size() >= 40 && lines(socket, "stderr").size() >= 40, WAIT, "live lines");

        JsonNode first = socket.events("logs").get(0).get(0);
        assertThat(first.path("deployment").asText()).isEqualTo(app);
        assertThat(first.path("lines").size()).as("tail of 5").isEqualTo(5);
        assertConsecutive(lines(socket, "stdout"), "out ");
        assertConsecutive(lines(socket, "stderr"), "err ");
        assertThat(deployments.activeStreams()).isEqualTo(1);
        pm2.run("delete", app);
        JsonNode closed = socket.awaitEvent("stream:closed", WAIT).get(0);
        assertThat(closed.path("deployment").asText()).isEqualTo(app);
        assertThat(closed.path("reason").asText()).isEqualTo("deleted");
        Await.until(() -> deployments.activeStreams() == 0, WAIT, "stream released");
    }

    @Test
    void forcedCopyThenTruncateRotationLosesNoLine() throws Exception {
        Path pause = tmp.resolve("pause");
        String app = startTicker("--", pause.toString());
        Path outLog = pm2.home.resolve("logs").resolve(app + "-out.log");
        Await.until(() -> lineCountOf(outLog) >= 10, WAIT, "app wrote lines");
        // a slow tail poll, so the rotation lands while unread lines sit in the file
        Pm2Settings d = pm2.settings();
        Pm2Settings slowPoll = new Pm2Settings(d.pm2Home(), d.pollEvery(), d.defaultTail(), d.maxTail(), d.maxBatch(),
                d.flushEvery(), d.maxLineBytes(), Duration.ofMillis(1500), d.rpcTimeout(), d.logFiles());
        NodeSocket socket = connect(slowPoll);
        socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", app, "tail", 1, "stderr", false));
        for (int rotation = 0; rotation < 3; rotation++) {
            Files.writeString(pause, "x");
            long[] size = {-1};
            // the app is paused once the file stops growing across two reads 100 ms apart
            Await.until(() -> {
                long now = outLog.toFile().length();
                boolean stable = now == size[0];
                size[0] = now;
                if (!stable) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
                }
                return stable;
            }, WAIT, "app paused");
            Files.copy(outLog, outLog.resolveSibling(app + "-out__2026-11-21_23-0" + rotation + "-00.log"));
            Files.write(outLog, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            Files.delete(pause);
            int before = lines(socket, "stdout").size();
            Await.until(() -> lines(socket, "stdout").size() >= before + 20, WAIT, "lines after rotation " + rotation);
        }
        List<String> out = lines(socket, "stdout");
        assertThat(out.size()).isGreaterThan(60);
        assertConsecutive(out, "out ");
        pm2.run("delete", app);
    }

    @Test
    void unknownDeploymentAndBadArgumentsGetClearErrors() {
        NodeSocket socket = connect(pm2.settings());
        JsonNode ack = socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", "sb-no-such-app")).get(0);
        assertThat(ack.path("ok").asBoolean()).isFalse();
        assertThat(ack.path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(socket.awaitEvent("error", WAIT).get(0).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(socket.emitWithAck("subscribe:logs", WAIT, Map.of("tail", 1)).get(0).path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", "x", "tail", -3)).get(0).path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(socket.emitWithAck("subscribe:logs", WAIT, 42).get(0).path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(deployments.activeStreams()).isZero();
    }

    @Test
    void noPm2DaemonIsBackendUnavailable() {
        NodeSocket socket = connect(Pm2Settings.defaults().withPm2Home(tmp));
        assertThat(socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", "app")).get(0).path("code").asText()).isEqualTo("BACKEND_UNAVAILABLE");
        assertThat(socket.emitWithAck("subscribe:status", WAIT).get(0).path("code").asText()).isEqualTo("BACKEND_UNAVAILABLE");
        assertThat(socket.emitWithAck("list", WAIT).get(0).path("code").asText()).isEqualTo("BACKEND_UNAVAILABLE");
    }

    @Test
    void statusListAndProcessEventsNeverLeakTheAppEnvironment() throws Exception {
        String secret = "sb-secret-" + UUID.randomUUID();
        String app = "leak-" + UUID.randomUUID().toString().substring(0, 6);
        pm2.run(Map.of("SB_SECRET_TOKEN", secret), "start", ticker.toString(), "--name", app);
        NodeSocket socket = connect(pm2.settings());

        JsonNode list = socket.emitWithAck("list", WAIT).get(0);
        JsonNode mine = null;
        for (JsonNode p : list) {
            if (app.equals(p.path("name").asText())) {
                mine = p;
            }
        }
        assertThat(mine).as("%s in %s", app, list).isNotNull();
        assertThat(mine.path("status").asText()).isEqualTo("online");
        List<String> fields = new ArrayList<>();
        mine.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("name", "id", "status", "restarts", "uptime", "cpu", "memory", "pid");

        socket.emitWithAck("subscribe:status", WAIT);
        socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", mine.path("id").asText(), "tail", 3));
        socket.awaitEvent("status", WAIT);
        pm2.run("restart", app);
        JsonNode event = socket.awaitEvent("process:event", args -> app.equals(args.get(0).path("deployment").asText())
                && "restart".equals(args.get(0).path("event").asText()), WAIT).get(0);
        assertThat(event.path("restarts").asInt()).isGreaterThanOrEqualTo(1);
        Await.until(() -> lines(socket, "stdout").size() >= 5, WAIT, "log lines");

        // emitToDeployment reaches log subscribers through the room named after the deployment
        server.namespace().to(app).emit("deployed", Map.of("version", "7"));
        assertThat(socket.awaitEvent("deployed", WAIT).get(0).path("version").asText()).isEqualTo("7");

        StringBuilder everything = new StringBuilder(list.toString());
        for (ServerEvent e : socket.serverEvents()) {
            everything.append(e.name()).append(e.args());
        }
        assertThat(everything.toString()).doesNotContain(secret).doesNotContain("SB_SECRET_TOKEN")
                .doesNotContain("pm2_env").doesNotContain(pm2.home.toString());
        pm2.run("delete", app);
    }

    /**
     * Issue #15 item 2: a log subscriber joins the room named after the deployment, so that room passes the room
     * rule: a process named like an identity room is FORBIDDEN, and ROOM_PATTERNS can narrow the rest.
     */
    @Test
    void deploymentRoomsPassTheRoomRule() throws Exception {
        String impostor = "user:" + UUID.randomUUID().toString().substring(0, 6);
        pm2.run("start", ticker.toString(), "--name", impostor);
        String ticking = startTicker();
        Path file = tmp.resolve("billing.log");
        Files.writeString(file, "old 1\n");
        NodeSocket socket = connect(pm2.settings().withLogFiles(Pm2Settings.parseLogFiles("billing:" + file)),
                new RoomAccess(RoomAccess.parsePatterns(List.of("tick-*@/deployments"))));
        int errors = 0;
        for (String deployment : List.of(impostor, "billing")) {
            JsonNode ack = socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", deployment)).get(0);
            assertThat(ack.path("ok").asBoolean(true)).as(deployment).isFalse();
            assertThat(ack.path("code").asText()).as(deployment).isEqualTo("FORBIDDEN");
            assertThat(socket.awaitServerEvent("error", x -> true, ++errors, WAIT).arg(0).path("event").asText())
                    .isEqualTo("subscribe:logs");
        }
        JsonNode ok = socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", ticking, "tail", 1)).get(0);
        assertThat(ok.path("ok").asBoolean()).as("ack %s", ok).isTrue();
        Await.until(() -> !lines(socket, "stdout").isEmpty(), WAIT, "ticker lines");
        assertThat(server.namespace().rooms()).containsKey(ticking).doesNotContainKeys(impostor, "billing");
        pm2.run("delete", impostor);
        pm2.run("delete", ticking);
    }

    @Test
    void configuredPlainLogFilesAreTailedToo() throws Exception {
        Path file = tmp.resolve("billing.log");
        Files.writeString(file, "old 1\nold 2\n");
        NodeSocket socket = connect(pm2.settings().withLogFiles(Pm2Settings.parseLogFiles("billing:" + file)));
        assertThat(socket.awaitEvent("connected", WAIT).get(0).path("files").toString()).contains("billing");
        socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", "billing", "tail", 1));
        Files.writeString(file, "new 1\nnew 2\n", StandardOpenOption.APPEND);
        Await.until(() -> lines(socket, "stdout").size() >= 3, WAIT, "file lines");
        assertThat(lines(socket, "stdout")).containsExactly("old 2", "new 1", "new 2");
    }
}
