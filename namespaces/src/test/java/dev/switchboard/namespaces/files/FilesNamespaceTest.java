package dev.switchboard.namespaces.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;


import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.namespaces.core.NamespaceTestServer;
import dev.switchboard.namespaces.core.NodeClients;

/** /files on a real server, driven by the real Node socket.io-client. */
class FilesNamespaceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final NodeClients clients = new NodeClients();

    @TempDir
    Path temp;
    Path root;
    Path outside;
    FilesNamespace files;
    NamespaceTestServer server;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(temp.resolve("root")).toRealPath();
        outside = Files.createDirectory(temp.resolve("outside")).toRealPath();
        start(FilesSettings.defaults().withRoots(List.of(root)));
    }

    private void start(FilesSettings settings) {
        server = NamespaceTestServer.start(FilesNamespace.DEFINITION.with(settings));
        files = server.running();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private NodeSocket connect() {
        return clients.connect(server, WAIT);
    }

    private static JsonNode ack(NodeSocket socket, String event, Object arg) {
        return socket.emitWithAck(event, WAIT, arg).get(0);
    }

    @Test
    void fileCreatedInANewNestedFolderProducesChange() throws IOException {
        NodeSocket socket = connect();
        JsonNode greeting = socket.awaitEvent("connected", WAIT).get(0);
        assertThat(greeting.path("roots").get(0).asText()).isEqualTo(root.toString());
        assertThat(greeting.path("maxWatches").asInt()).isEqualTo(16);

        JsonNode ack = ack(socket, "watch", Map.of("path", root.toString(), "recursive", true));
        assertThat(ack.path("ok").asBoolean()).isTrue();
        assertThat(ack.path("path").asText()).isEqualTo(root.toString());
        Path file = Files.writeString(Files.createDirectories(root.resolve("new/nested")).resolve("report.txt"), "12345");

        JsonNode change = socket.awaitEvent("change", a -> a.get(0).path("path").asText().equals(file.toString())
                && a.get(0).path("size").asLong() == 5, WAIT).get(0);
        assertThat(change.path("isDirectory").asBoolean()).isFalse();
        assertThat(change.path("mtime").asLong()).isPositive();
        assertThat(change.path("watch").asText()).isEqualTo(root.toString());
        socket.awaitEvent("change", a -> a.get(0).path("path").asText().equals(root.resolve("new/nested").toString())
                && a.get(0).path("type").asText().equals("created") && a.get(0).path("isDirectory").asBoolean(), WAIT);

        Files.delete(file);
        socket.awaitEvent("change", a -> a.get(0).path("path").asText().equals(file.toString())
                && a.get(0).path("type").asText().equals("deleted"), WAIT);
        JsonNode unwatched = ack(socket, "unwatch", Map.of("path", root.toString()));
        assertThat(unwatched.path("ok").asBoolean()).isTrue();
        assertThat(files.activeStreams()).isZero();
        socket.disconnect();
    }

    @Test
    void escapesOutsideTheRootsAreRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("escape"), outside);
        NodeSocket socket = connect();
        String[] attempts = {"../../etc", root + "/../outside", "/etc", outside.toString(), root + "/escape", "escape",
                "escape/missing.txt"}; // behind the link: as forbidden as an existing file, not NOT_FOUND
        int n = 0;
        for (String path : attempts) {
            JsonNode ack = ack(socket, "watch", Map.of("path", path, "recursive", true));
            assertThat(ack.path("ok").asBoolean(true)).as(path).isFalse();
            assertThat(ack.path("code").asText()).as(path).isEqualTo("FORBIDDEN");
            JsonNode error = socket.awaitServerEvent("error", a -> true, ++n, WAIT).arg(0);
            assertThat(error.path("event").asText()).isEqualTo("watch");
            assertThat(error.path("code").asText()).isEqualTo("FORBIDDEN");
        }
        JsonNode missing = ack(socket, "watch", Map.of("path", "not-there"));
        assertThat(missing.path("code").asText()).isEqualTo("NOT_FOUND");
        JsonNode bad = ack(socket, "watch", Map.of("recursive", true));
        assertThat(bad.path("code").asText()).isEqualTo("BAD_REQUEST");
        JsonNode notWatched = ack(socket, "unwatch", Map.of("path", root.toString()));
        assertThat(notWatched.path("code").asText()).isEqualTo("NOT_WATCHED");
        assertThat(files.activeStreams()).isZero();
        socket.disconnect();
    }

    /** A watch below a root reads from the root down: a folder between them swapped for a link is not followed. */
    @Test
    void watchBelowARootReadsFromTheRoot() throws IOException {
        Path below = Files.createDirectories(root.resolve("a/b"));
        NodeSocket socket = connect();
        assertThat(ack(socket, "watch", Map.of("path", "a/b", "recursive", true)).path("ok").asBoolean()).isTrue();
        assertThat(files.watcher(new WatchTopic(below, true, null)).anchor()).isEqualTo(root);
        socket.disconnect();
    }

    @Test
    void withoutRootsEveryWatchIsRefused() {
        server.close();
        start(FilesSettings.defaults());
        NodeSocket socket = connect();
        assertThat(socket.awaitEvent("connected", WAIT).get(0).path("roots")).isEmpty();
        JsonNode ack = ack(socket, "watch", Map.of("path", root.toString()));
        assertThat(ack.path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(ack.path("message").asText()).contains("no roots are configured");
        socket.disconnect();
    }

    @Test
    void watchesPerSocketAreCapped() throws IOException {
        server.close();
        start(new FilesSettings(List.of(root), 2, Duration.ofMillis(50), 1000));
        for (String dir : new String[] {"a", "b", "c"}) {
            Files.createDirectory(root.resolve(dir));
        }
        NodeSocket socket = connect();
        assertThat(ack(socket, "watch", "a").path("ok").asBoolean()).isTrue();
        assertThat(ack(socket, "watch", Map.of("path", "b")).path("ok").asBoolean()).isTrue();
        assertThat(ack(socket, "watch", "a").path("ok").asBoolean()).as("same watch again is idempotent").isTrue();
        JsonNode third = ack(socket, "watch", "c");
        assertThat(third.path("ok").asBoolean(true)).isFalse();
        assertThat(third.path("code").asText()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(ack(socket, "unwatch", "a").path("ok").asBoolean()).isTrue();
        assertThat(ack(socket, "watch", "c").path("ok").asBoolean()).isTrue();
        assertThat(files.activeStreams()).isEqualTo(2);
        socket.disconnect();
        Await.until(() -> files.activeStreams() == 0, WAIT, "watchers closed on disconnect");
    }

    /** A watched tree that grows past FILES_MAX_ENTRIES after the watch opened ends it for its subscribers, and only it. */
    @Test
    void treeGrowingPastTheBoundEndsTheWatchWithLimitExceeded() throws IOException {
        server.close();
        start(new FilesSettings(List.of(root), 16, Duration.ofMillis(50), 50));
        Path grows = Files.createDirectory(root.resolve("grows"));
        Path quiet = Files.createDirectory(root.resolve("quiet"));
        NodeSocket socket = connect();
        assertThat(ack(socket, "watch", Map.of("path", "grows", "recursive", true)).path("ok").asBoolean()).isTrue();
        assertThat(ack(socket, "watch", Map.of("path", "quiet")).path("ok").asBoolean()).isTrue();
        for (int i = 0; i < 100; i++) {
            Files.writeString(grows.resolve("f" + i), "x");
        }

        JsonNode closed = socket.awaitEvent("stream:closed", WAIT).get(0);

        assertThat(closed.path("code").asText()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(closed.path("path").asText()).isEqualTo(grows.toString());
        assertThat(closed.path("reason").asText()).contains("more than 50 entries");
        Await.until(() -> files.activeStreams() == 1, WAIT, "only the grown watch ended");
        Path file = Files.writeString(quiet.resolve("still.txt"), "x");
        socket.awaitEvent("change", a -> a.get(0).path("path").asText().equals(file.toString()), WAIT);
    }

    /**
     * Watches of one folder under different globs are different watchers, each with its own snapshot and folders:
     * FILES_MAX_ENTRIES per watch times FILES_MAX_WATCHES per socket times any number of sockets. The namespace's
     * total is bounded: the watch past it is refused, the open ones keep reporting, and a freed share serves again.
     */
    @Test
    void entriesHeldByAllWatchesTogetherAreBounded() throws IOException {
        server.close();
        start(new FilesSettings(List.of(root), 16, Duration.ofMillis(50), 50, 100));
        Path tree = Files.createDirectory(root.resolve("tree"));
        for (int i = 0; i < 30; i++) {
            Files.writeString(tree.resolve("f" + i), "x");
        }
        NodeSocket first = connect();
        NodeSocket second = connect();
        // each watch holds 30 entries and its folder: three fit in 100, a fourth does not
        assertThat(ack(first, "watch", Map.of("path", "tree", "glob", "*0")).path("ok").asBoolean()).isTrue();
        assertThat(ack(first, "watch", Map.of("path", "tree", "glob", "*1")).path("ok").asBoolean()).isTrue();
        assertThat(ack(second, "watch", Map.of("path", "tree", "glob", "*2")).path("ok").asBoolean()).isTrue();

        JsonNode refused = ack(second, "watch", Map.of("path", "tree", "glob", "*3"));

        assertThat(refused.path("ok").asBoolean(true)).isFalse();
        assertThat(refused.path("code").asText()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(refused.path("message").asText()).contains("100 entries in total");
        assertThat(files.activeStreams()).isEqualTo(3);
        Path file = Files.writeString(tree.resolve("new2"), "x");
        second.awaitEvent("change", a -> a.get(0).path("path").asText().equals(file.toString()), WAIT);
        assertThat(ack(first, "unwatch", "tree").path("removed").asInt()).isEqualTo(2);
        assertThat(ack(second, "watch", Map.of("path", "tree", "glob", "*3")).path("ok").asBoolean()).isTrue();
    }

    @Test
    void subscribersOfOnePathShareOneWatcher() throws IOException {
        NodeSocket first = connect();
        NodeSocket second = connect();
        ack(first, "watch", Map.of("path", root.toString()));
        ack(second, "watch", Map.of("path", "."));
        assertThat(files.activeStreams()).isEqualTo(1);
        Path file = Files.writeString(root.resolve("shared.txt"), "x");
        first.awaitEvent("change", a -> a.get(0).path("path").asText().equals(file.toString()), WAIT);
        second.awaitEvent("change", a -> a.get(0).path("path").asText().equals(file.toString()), WAIT);
        ack(first, "unwatch", root.toString());
        assertThat(files.activeStreams()).isEqualTo(1);
        second.disconnect();
        Await.until(() -> files.activeStreams() == 0, WAIT, "watcher closed after the last subscriber left");
        // the stream is uncounted before its watcher closes (and unregisters its folders), on another thread
        Await.until(() -> files.hub().registeredKeys() == 0, WAIT, "the watcher's folders unregistered");
        first.disconnect();
    }

    /**
     * A glob that pins java.util.regex for hours on a 40-character name: the attacker's watch answers right, and
     * another client's events arrive meanwhile (the watch thread and the scheduler are shared).
     */
    @Test
    void backtrackingGlobStallsNoOtherWatch() throws IOException {
        Path slow = Files.createDirectory(root.resolve("slow"));
        Path other = Files.createDirectory(root.resolve("other"));
        NodeSocket attacker = connect();
        NodeSocket bystander = connect();
        String glob = "*?".repeat(16) + "x";
        assertThat(ack(attacker, "watch", Map.of("path", "slow", "glob", glob)).path("ok").asBoolean()).isTrue();
        assertThat(ack(bystander, "watch", "other").path("ok").asBoolean()).isTrue();

        Path miss = Files.writeString(slow.resolve("a".repeat(40)), "created, then modified: the scheduler matches too");
        Path hit = Files.writeString(slow.resolve("a".repeat(40) + "x"), "match");
        Path seen = Files.writeString(other.resolve("after.txt"), "x");

        bystander.awaitEvent("change", a -> a.get(0).path("path").asText().equals(seen.toString()), WAIT);
        attacker.awaitEvent("change", a -> a.get(0).path("path").asText().equals(hit.toString()), WAIT);
        assertThat(attacker.events("change")).noneMatch(a -> a.get(0).path("path").asText().equals(miss.toString()));

        JsonNode refused = ack(attacker, "watch", Map.of("path", "slow", "glob", "*?".repeat(40)));
        assertThat(refused.path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(refused.path("message").asText()).contains("more than 32 wildcards");
        attacker.disconnect();
        bystander.disconnect();
    }

    /** 5,000 files written as fast as possible: every one is reported as created, in bounded time. */
    @Test
    void fiveThousandFilesAreAllReported() throws IOException {
        Path flood = Files.createDirectory(root.resolve("flood"));
        NodeSocket socket = connect();
        ack(socket, "watch", Map.of("path", root.toString(), "recursive", true, "glob", "flood/*.dat"));
        int count = 5_000;
        Set<String> expected = new HashSet<>();
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            expected.add(Files.writeString(flood.resolve("f" + i + ".dat"), "data " + i).toString());
        }
        Set<String> reported = new HashSet<>();
        Await.until(() -> {
            for (JsonNode args : socket.events("change")) {
                if (args.get(0).path("type").asText().equals("created")) {
                    reported.add(args.get(0).path("path").asText());
                }
            }
            return reported.containsAll(expected);
        }, Duration.ofSeconds(60), "all " + count + " files reported as created");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long createdEvents = socket.events("change").stream().filter(a -> a.get(0).path("type").asText().equals("created")).count();
        assertThat(createdEvents).as("each file reported created once").isEqualTo(count);
        assertThat(took).isLessThan(Duration.ofSeconds(60));
        org.slf4j.LoggerFactory.getLogger(FilesNamespaceTest.class).info("flood files={} tookMs={} overflows={}",
                count, took.toMillis(), files.hub().overflows());
        socket.disconnect();
    }
}
