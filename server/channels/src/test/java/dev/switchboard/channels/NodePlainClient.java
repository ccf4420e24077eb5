package dev.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.NodeProcess;
import dev.switchboard.testkit.RepoPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A plain channel client on the npm {@code ws} package (src/test/node/plain-ws-client.js). */
final class NodePlainClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final NodeProcess process;

    private NodePlainClient(NodeProcess process) {
        this.process = process;
    }

    static NodePlainClient connect(String url, String origin) {
        Path nodeDir = RepoPaths.nodeDir();
        Path script = RepoPaths.repoRoot().resolve("server/channels/src/test/node/plain-ws-client.js");
        List<String> args = new ArrayList<>(List.of(url));
        if (origin != null) args.add(origin);
        return new NodePlainClient(NodeProcess.start(nodeDir, script.toString(), args,
                Map.of("NODE_PATH", nodeDir.resolve("node_modules").toString()), null));
    }

    static NodePlainClient connect(String url) {
        return connect(url, null);
    }

    NodePlainClient awaitOpen() {
        process.awaitJsonLine(l -> "open".equals(l.path("kind").asText()), Duration.ofSeconds(10), "open");
        return this;
    }

    void send(String text) {
        process.writeLine(JSON.createObjectNode().put("op", "send").put("text", text).toString());
    }

    /** The data of the first received message matching {@code match}. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout, String what) {
        return process.awaitJsonLine(l -> "message".equals(l.path("kind").asText()) && match.test(l.path("data")),
                timeout, what).path("data");
    }

    JsonNode awaitReply(String id, Duration timeout) {
        return await(m -> id.equals(m.path("id").asText(null)), timeout, "reply to id " + id);
    }

    /** Any line of this kind (close, unexpected, ping...). */
    JsonNode awaitLine(String kind, Duration timeout) {
        return process.awaitJsonLine(l -> kind.equals(l.path("kind").asText()), timeout, kind);
    }

    @Override
    public void close() {
        process.close();
    }
}
