package dev.switchboard.namespaces.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.namespaces.logs.LineAssembler;
import dev.switchboard.namespaces.core.NamespaceTestServer;
import dev.switchboard.namespaces.core.NodeClients;

/** /services against the real Docker engine, with the real Node socket.io-client. */
class ServicesNamespaceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final NodeClients clients = new NodeClients();
    private DockerFixture docker;
    private ServicesNamespace services;
    private NamespaceTestServer server;

    @BeforeEach
    void start() {
        docker = DockerFixture.require();
        server = NamespaceTestServer.start(ServicesNamespace.DEFINITION.with(DockerSettings.defaults()));
        services = server.running();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    private NodeSocket connect() {
        NodeSocket socket = clients.connect(server, WAIT);
        JsonNode hello = socket.awaitEvent("connected", WAIT).get(0);
        assertThat(hello.path("namespace").asText()).isEqualTo("/services");
        return socket;
    }

    /** Every line received so far in {@code logs} events, as "stream|line". */
    static List<String> lines(NodeSocket socket) {
        List<String> out = new ArrayList<>();
        for (JsonNode args : socket.events("logs")) {
            for (JsonNode line : args.get(0).path("lines")) {
                out.add(line.path("stream").asText() + "|" + line.path("line").asText());
            }
        }
        return out;
    }

    static int lineCount(NodeSocket socket) {
        int n = 0;
        for (JsonNode args : socket.events("logs")) {
            n += args.get(0).path("lines").size();
        }
        return n;
    }

    private static void waitForLogs(DockerFixture docker, String container, String text) {
        Await.until(() -> docker.logs(container).contains(text), WAIT, "container " + container + " printed '" + text + "'");
    }

    @Test
    void tailIsHonouredThenLiveLinesFollowInOrderWithStreamsSeparated() {
        String c = docker.run("i=1; while [ $i -le 20 ]; do echo out $i; echo err $i >&2; i=$((i+1)); done; "
                + DockerFixture.afterGo("for j in 1 2 3 4 5; do echo live $j; echo elive $j >&2; done; sleep 600"));
        waitForLogs(docker, c, "err 20");

        NodeSocket outOnly = connect();
        JsonNode ack = outOnly.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "tail", 5, "stderr", false)).get(0);
        assertThat(ack.path("ok").asBoolean()).as("ack %s", ack).isTrue();
        NodeSocket errOnly = connect();
        errOnly.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "tail", 3, "stdout", false));

        Await.until(() -> lineCount(outOnly) >= 5 && lineCount(errOnly) >= 3, WAIT, "tails");
        docker.go(c);
        Await.until(() -> lineCount(outOnly) >= 10 && lineCount(errOnly) >= 8, WAIT, "live lines");

        assertThat(lines(outOnly)).containsExactly("stdout|out 16", "stdout|out 17", "stdout|out 18", "stdout|out 19",
                "stdout|out 20", "stdout|live 1", "stdout|live 2", "stdout|live 3", "stdout|live 4", "stdout|live 5");
        assertThat(lines(errOnly)).containsExactly("stderr|err 18", "stderr|err 19", "stderr|err 20",
                "stderr|elive 1", "stderr|elive 2", "stderr|elive 3", "stderr|elive 4", "stderr|elive 5");
        JsonNode first = outOnly.events("logs").get(0).get(0);
        assertThat(first.path("container").asText()).isEqualTo(c);
        assertThat(first.path("lines").get(0).path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void twoSubscribersShareOneUpstreamAndALateOneGetsItsTailWithoutGapOrDuplicate() {
        String c = docker.run("i=0; while true; do i=$((i+1)); echo n $i; sleep 0.02; done");
        waitForLogs(docker, c, "n 30");
        NodeSocket a = connect();
        a.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "tail", 0));
        Await.until(() -> lineCount(a) >= 20, WAIT, "first subscriber's live lines");
        NodeSocket b = connect();
        b.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "tail", 10));
        assertThat(services.activeStreams()).isEqualTo(1);
        Await.until(() -> lineCount(b) >= 40, WAIT, "second subscriber's tail and live lines");

        List<Integer> numbers = new ArrayList<>();
        for (String line : lines(b)) {
            numbers.add(Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)));
        }
        for (int i = 1; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).as("line %d of %s", i, numbers).isEqualTo(numbers.get(i - 1) + 1);
        }
        a.emitWithAck("unsubscribe:logs", WAIT, Map.of("container", c));
        assertThat(services.activeStreams()).isEqualTo(1);
        b.disconnect();
        Await.until(() -> services.activeStreams() == 0, WAIT, "upstream closed after the last subscriber left");
    }

    @Test
    void hundredThousandLinesArriveCompleteAndInOrderThenExitClosesTheStreamWithItsCode() {
        int total = 100_000;
        String c = docker.run(DockerFixture.afterGo("seq 1 " + total + "; exit 3"));
        NodeSocket socket = connect();
        socket.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "tail", 0));
        docker.go(c);
        Await.until(() -> lineCount(socket) >= total, Duration.ofSeconds(90), total + " lines");
        JsonNode closed = socket.awaitEvent("stream:closed", WAIT).get(0);
        assertThat(closed.path("container").asText()).isEqualTo(c);
        assertThat(closed.path("reason").asText()).isEqualTo("exited");
        assertThat(closed.path("exitCode").asInt()).isEqualTo(3);

        List<String> lines = lines(socket);
        assertThat(lines).hasSize(total);
        for (int i = 0; i < total; i++) {
            if (!lines.get(i).equals("stdout|" + (i + 1))) {
                throw new AssertionError("line " + i + " is '" + lines.get(i) + "', expected 'stdout|" + (i + 1) + "'");
            }
        }
        assertThat(socket.events("logs").size()).as("batched: fewer events than lines").isLessThan(total / 10);
        Await.until(() -> services.activeStreams() == 0, WAIT, "stream released after stream:closed");
    }

    @Test
    void unknownContainerAndBadArgumentsGetClearErrors() {
        NodeSocket socket = connect();
        JsonNode ack = socket.emitWithAck("subscribe:logs", WAIT, Map.of("container", "sb-no-such-container")).get(0);
        assertThat(ack.path("ok").asBoolean()).isFalse();
        assertThat(ack.path("code").asText()).isEqualTo("NOT_FOUND");
        JsonNode error = socket.awaitEvent("error", WAIT).get(0);
        assertThat(error.path("event").asText()).isEqualTo("subscribe:logs");
        assertThat(error.path("code").asText()).isEqualTo("NOT_FOUND");

        assertThat(socket.emitWithAck("subscribe:logs", WAIT, Map.of("tail", 5)).get(0).path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(socket.emitWithAck("subscribe:logs", WAIT, Map.of("container", "x", "tail", 1_000_000)).get(0).path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(socket.emitWithAck("subscribe:logs", WAIT, Map.of("container", "x", "stdout", false, "stderr", false)).get(0).path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(socket.emitWithAck("subscribe:logs", WAIT, "not an object").get(0).path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(socket.emitWithAck("subscribe:stats", WAIT, Map.of("container", "sb-no-such-container")).get(0).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(services.activeStreams()).isZero();
    }

    @Test
    void statsListAndContainerEventsReachSubscribers() {
        String c = docker.run("while true; do sleep 0.1; done");
        NodeSocket socket = connect();
        JsonNode list = socket.emitWithAck("list", WAIT).get(0);
        JsonNode mine = null;
        for (JsonNode item : list) {
            if (c.equals(item.path("name").asText())) {
                mine = item;
            }
        }
        assertThat(mine).as("container %s in list %s", c, list).isNotNull();
        assertThat(mine.path("state").asText()).isEqualTo("running");

        assertThat(socket.emitWithAck("subscribe:stats", WAIT, Map.of("container", c)).get(0).path("ok").asBoolean()).isTrue();
        JsonNode stats = socket.awaitEvent("stats", WAIT).get(0);
        assertThat(stats.path("container").asText()).isEqualTo(c);
        assertThat(stats.path("memory").path("usage").asLong()).isPositive();
        assertThat(stats.path("memory").path("limit").asLong()).isPositive();
        assertThat(stats.path("pids").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.has("cpuPercent")).isTrue();
        assertThat(stats.path("network").has("rxBytes")).isTrue();
        assertThat(stats.path("blockIo").has("readBytes")).isTrue();

        docker.docker("kill", c);
        JsonNode event = socket.awaitEvent("container:event", args -> "die".equals(args.get(0).path("action").asText()), WAIT).get(0);
        assertThat(event.path("container").asText()).isEqualTo(c);
        JsonNode closed = socket.awaitEvent("stream:closed", WAIT).get(0);
        assertThat(closed.path("reason").asText()).isEqualTo("exited");
        assertThat(closed.path("exitCode").asInt()).isEqualTo(137);
    }

    /**
     * Issue #15 item 2: a serviceId is a room the client asks for; one the server assigns (an identity room,
     * another socket's id room) is refused with FORBIDDEN before anything is opened, and the socket keeps working.
     */
    @Test
    void serviceIdNamingAServerAssignedRoomIsForbidden() {
        String c = docker.run("while true; do echo tick; sleep 0.2; done");
        NodeSocket attacker = connect();
        NodeSocket victim = connect();
        String victimId = victim.state().path("sid").asText();
        assertThat(victimId).isNotEmpty();
        int errors = 0;
        for (String serviceId : List.of("user:bob", "agent:7", victimId)) {
            for (String event : List.of("subscribe:logs", "subscribe:stats")) {
                JsonNode ack = attacker.emitWithAck(event, WAIT, Map.of("container", c, "serviceId", serviceId)).get(0);
                assertThat(ack.path("ok").asBoolean(true)).as(event + " " + serviceId).isFalse();
                assertThat(ack.path("code").asText()).isEqualTo("FORBIDDEN");
                JsonNode error = attacker.awaitServerEvent("error", x -> true, ++errors, WAIT).arg(0);
                assertThat(error.path("event").asText()).isEqualTo(event);
            }
        }
        server.namespace().to("user:bob").emit("deploy", "for bob");
        server.namespace().to(victimId).emit("deploy", "for the victim");
        victim.awaitEvent("deploy", WAIT);
        assertThat(attacker.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "serviceId", "svc-ok"))
                .get(0).path("ok").asBoolean()).as("the socket keeps working").isTrue();
        attacker.awaitEvent("logs", WAIT);
        assertThat(attacker.events("deploy")).isEmpty();
        assertThat(lineCount(attacker)).isPositive();
    }

    @Test
    void serviceIdSubscribersJoinTheServiceRoom() {
        String c = docker.run("while true; do sleep 0.1; done");
        NodeSocket socket = connect();
        NodeSocket other = connect();
        socket.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "serviceId", "svc-billing"));
        server.namespace().to("svc-billing").emit("deploy", Map.of("version", "1.2.3"));
        assertThat(socket.awaitEvent("deploy", WAIT).get(0).path("version").asText()).isEqualTo("1.2.3");
        other.assertNoEvent("deploy", Duration.ofMillis(300));
        socket.emitWithAck("unsubscribe:logs", WAIT, Map.of("container", c));
        socket.clearEvents();
        server.namespace().to("svc-billing").emit("deploy", Map.of("version", "2"));
        socket.assertNoEvent("deploy", Duration.ofMillis(300));
    }

    @Test
    void longLinesSplitByDockerAreRejoinedAndOverlongOnesCappedWithAMarker() {
        server.close();
        DockerSettings d = DockerSettings.defaults();
        server = NamespaceTestServer.start(ServicesNamespace.DEFINITION.with(new DockerSettings(d.dockerHost(),
                d.defaultTail(), d.maxTail(), d.maxBatch(), d.flushEvery(), 65_536, d.requestTimeout(), d.reconnectEvery())));
        services = server.running();
        String c = docker.run(DockerFixture.afterGo("head -c 40000 /dev/zero | tr '\\0' a; echo; "
                + "head -c 100000 /dev/zero | tr '\\0' b; echo; echo after; sleep 600"));
        NodeSocket socket = connect();
        socket.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "tail", 0));
        docker.go(c);
        Await.until(() -> lineCount(socket) >= 3, WAIT, "three lines");
        List<String> lines = lines(socket);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("stdout|" + "a".repeat(40_000));
        assertThat(lines.get(1)).isEqualTo("stdout|" + "b".repeat(65_536) + LineAssembler.TRUNCATED_MARKER);
        assertThat(lines.get(2)).isEqualTo("stdout|after");
    }

    @Test
    void removedContainerClosesTheStreamAndTimestampsCanBeLeftOut() {
        String c = docker.run("i=0; while true; do i=$((i+1)); echo n $i; sleep 0.05; done");
        NodeSocket socket = connect();
        socket.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "tail", 2, "timestamps", false));
        Await.until(() -> lineCount(socket) >= 3, WAIT, "lines");
        assertThat(socket.events("logs").get(0).get(0).path("lines").get(0).has("timestamp")).isFalse();
        docker.docker("rm", "-f", c);
        JsonNode closed = socket.awaitEvent("stream:closed", WAIT).get(0);
        // rm -f kills then removes: the follow may end while the container still exists (exited) or after (removed)
        assertThat(closed.path("reason").asText()).isIn("removed", "exited");
        assertThat(closed.path("container").asText()).isEqualTo(c);
        Await.until(() -> services.activeStreams() == 0, WAIT, "stream released");
    }

    /**
     * Docker resolves any unique id prefix, and each distinct reference (and stream selection) is its own topic
     * with its own Docker follow: one socket naming the same two containers by 53 prefixes each must not open
     * upstreams without end. Per socket at most {@link ServicesNamespace#MAX_SUBSCRIPTIONS_PER_SOCKET} log topics and
     * as many stats streams; beyond, LIMIT_EXCEEDED; a slot comes back on unsubscribe; the rest is untouched.
     */
    @Test
    void subscriptionsPerSocketAreBoundedWhateverTheContainerIsCalled() {
        int bound = ServicesNamespace.MAX_SUBSCRIPTIONS_PER_SOCKET;
        List<String> refs = new ArrayList<>();
        for (String c : List.of(docker.run("while true; do sleep 1; done"), docker.run("while true; do sleep 1; done"))) {
            String id = docker.docker("inspect", "-f", "{{.Id}}", c).trim();
            for (int length = 12; length <= id.length(); length++) {
                refs.add(id.substring(0, length));
            }
        }
        assertThat(refs).hasSizeGreaterThan(bound);
        NodeSocket socket = connect();
        for (String event : List.of("subscribe:logs", "subscribe:stats")) {
            for (int i = 0; i < bound; i++) {
                JsonNode ack = socket.emitWithAck(event, WAIT, Map.of("container", refs.get(i), "tail", 0)).get(0);
                assertThat(ack.path("ok").asBoolean()).as(event + " " + i + ": " + ack).isTrue();
            }
            JsonNode refused = socket.emitWithAck(event, WAIT, Map.of("container", refs.get(bound), "tail", 0)).get(0);
            assertThat(refused.path("ok").asBoolean()).isFalse();
            assertThat(refused.path("code").asText()).as(refused.toString()).isEqualTo("LIMIT_EXCEEDED");
            // one already held is still answered, and an unsubscribe frees a slot
            assertThat(socket.emitWithAck(event, WAIT, Map.of("container", refs.get(0), "tail", 0)).get(0).path("ok").asBoolean()).isTrue();
            socket.emitWithAck("un" + event, WAIT, Map.of("container", refs.get(0)));
            assertThat(socket.emitWithAck(event, WAIT, Map.of("container", refs.get(bound), "tail", 0)).get(0).path("ok").asBoolean()).isTrue();
        }
        assertThat(services.activeLogStreams()).as("log topics, one per name").isEqualTo(bound);
        assertThat(services.activeStreams()).as("two containers: a log follow and a stats stream each").isEqualTo(4);
        socket.disconnect();
        Await.until(() -> services.activeStreams() == 0, WAIT, "every upstream released on disconnect");
    }
}
