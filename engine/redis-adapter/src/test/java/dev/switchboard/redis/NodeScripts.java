package dev.switchboard.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.testkit.NodeProcess;
import dev.switchboard.testkit.RepoPaths;

/** The Node peers of the interop tests (engine/redis-adapter/src/test/node, installed by scripts/setup-redis.sh). */
final class NodeScripts {
    static final ObjectMapper JSON = new ObjectMapper();

    private NodeScripts() {
    }

    static Path dir() {
        Path dir = RepoPaths.repoRoot().resolve("engine/redis-adapter/src/test/node");
        if (!Files.isRegularFile(dir.resolve("node_modules/@socket.io/redis-emitter/package.json"))) {
            throw new IllegalStateException("npm packages of " + dir + " are missing: run scripts/setup-redis.sh");
        }
        return dir;
    }

    /** Runs emitter.mjs with this spec ({url, key, ops}); returns once every op reached Redis. */
    static void emit(JsonNode spec) {
        try {
            Process p = new ProcessBuilder(List.of("node", "emitter.mjs", spec.toString()))
                    .directory(dir().toFile()).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("emitter.mjs did not finish within 20 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || !out.contains("\"type\":\"done\"")) {
                throw new AssertionError("emitter.mjs failed (exit " + p.exitValue() + "): " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A Node socket.io server on @socket.io/redis-adapter (node-peer.mjs), driven over stdin. */
    static final class NodePeer implements AutoCloseable {
        private final NodeProcess process;
        private final int port;
        private long nextId;

        NodePeer(String redisUrl, String key) {
            this(List.of(redisUrl, key));
        }

        /** A Node server on createShardedAdapter over the Redis Cluster at {@code seedUrl}. */
        static NodePeer sharded(String seedUrl, String key, String subscriptionMode) {
            return new NodePeer(List.of(seedUrl, key, "sharded", subscriptionMode));
        }

        private NodePeer(List<String> args) {
            process = NodeProcess.start(dir(), "node-peer.mjs", args, java.util.Map.of(), null);
            port = process.awaitJsonLine(n -> "listening".equals(n.path("type").asText()), Duration.ofSeconds(20),
                    "node-peer listening").path("port").asInt();
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        /** Sends a command ({op, ...}) and returns its reply; fails on ok=false. */
        synchronized JsonNode request(com.fasterxml.jackson.databind.node.ObjectNode command) {
            long id = ++nextId;
            command.put("id", id);
            process.writeLine(command.toString());
            JsonNode reply = process.awaitJsonLine(n -> "reply".equals(n.path("type").asText()) && n.path("id").asLong() == id,
                    Duration.ofSeconds(10), "reply to " + command);
            if (!reply.path("ok").asBoolean()) {
                throw new AssertionError("node-peer failed " + command + ": " + reply.path("error").asText());
            }
            return reply;
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
