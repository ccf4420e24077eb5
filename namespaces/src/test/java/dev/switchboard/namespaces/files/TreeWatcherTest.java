package dev.switchboard.namespaces.files;

import static dev.switchboard.namespaces.files.RecordingSink.has;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import dev.switchboard.testkit.Await;

class TreeWatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path temp;
    Path root;
    WatchHub hub;
    ScheduledExecutorService scheduler;
    RecordingSink sink;
    TreeWatcher watcher;

    @BeforeEach
    void setUp() throws IOException {
        root = temp.toRealPath();
        hub = new WatchHub();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        sink = new RecordingSink();
    }

    @AfterEach
    void tearDown() {
        if (watcher != null) {
            watcher.close();
        }
        hub.close();
        scheduler.shutdownNow();
    }

    private TreeWatcher open(Path path, boolean recursive, String glob) throws IOException {
        return open(path, recursive, glob, sink);
    }

    private TreeWatcher open(Path path, boolean recursive, String glob, RecordingSink into) throws IOException {
        return new TreeWatcher(new WatchTopic(path, recursive, glob), hub, scheduler, Duration.ofMillis(50), into).open();
    }

    @Test
    void fileWrittenIntoJustCreatedNestedFolderIsReported() throws IOException {
        hub.start();
        watcher = open(root, true, null);
        Path deep = Files.createDirectories(root.resolve("a/b/c"));
        Path file = Files.writeString(deep.resolve("file.txt"), "hello");

        List<FileChange> changes = sink.awaitChanges(c -> c.stream().anyMatch(
                ch -> ch.path().equals(file.toString()) && ch.size() == 5), WAIT, "file.txt with its 5 bytes");

        assertThat(changes).filteredOn(c -> c.type().equals("created")).extracting(FileChange::path)
                .contains(root.resolve("a").toString(), root.resolve("a/b").toString(), deep.toString(), file.toString());
        assertThat(changes).filteredOn(c -> c.path().equals(deep.toString())).allMatch(FileChange::isDirectory);
        assertThat(changes).allMatch(c -> c.watch().equals(root.toString()));
        FileChange created = changes.stream().filter(c -> c.path().equals(file.toString()) && c.type().equals("created"))
                .findFirst().orElseThrow();
        assertThat(created.isDirectory()).isFalse();
        assertThat(created.mtime()).isPositive();
    }

    @Test
    void burstOfModificationsIsReportedOnceWithFinalSize() throws IOException {
        Path file = Files.writeString(root.resolve("app.log"), "");
        hub.start();
        watcher = open(root, false, null);
        for (int i = 0; i < 200; i++) {
            Files.writeString(file, "line " + i + "\n", StandardOpenOption.APPEND);
        }
        long size = Files.size(file);

        List<FileChange> changes = sink.awaitChanges(c -> c.stream().anyMatch(
                ch -> ch.type().equals("modified") && ch.size() == size), WAIT, "modified with the final size");

        // 200 writes inside the debounce window come out as one or two modifications, never 200
        assertThat(changes).filteredOn(c -> c.type().equals("modified")).hasSizeBetween(1, 3);
    }

    @Test
    void deletingAFolderReportsEverythingInside() throws IOException {
        Path dir = Files.createDirectories(root.resolve("tmp/inner"));
        Path file = Files.writeString(dir.resolve("x.txt"), "x");
        hub.start();
        watcher = open(root, true, null);
        // moving the folder away produces a single delete for the folder itself
        Path away = Files.createDirectories(temp.getParent().resolve(temp.getFileName() + "-away"));
        try {
            Files.move(root.resolve("tmp"), away.resolve("tmp"));
            List<FileChange> changes = sink.awaitChanges(has("deleted", root.resolve("tmp")), WAIT, "tmp deleted");
            assertThat(changes).filteredOn(c -> c.type().equals("deleted")).extracting(FileChange::path)
                    .containsExactly(file.toString(), dir.toString(), root.resolve("tmp").toString());
            assertThat(watcher.registeredFolders()).isEqualTo(1);
        } finally {
            deleteTree(away);
        }
    }

    @Test
    void nonRecursiveWatchReportsOnlyDirectChildren() throws IOException {
        hub.start();
        watcher = open(root, false, null);
        Path sub = Files.createDirectory(root.resolve("sub"));
        Files.writeString(sub.resolve("nested.txt"), "n");
        Path top = Files.writeString(root.resolve("top.txt"), "t");

        List<FileChange> changes = sink.awaitChanges(has("created", top), WAIT, "top.txt created");

        assertThat(changes).extracting(FileChange::path).contains(sub.toString()).doesNotContain(sub.resolve("nested.txt").toString());
        assertThat(watcher.registeredFolders()).isEqualTo(1);
    }

    @Test
    void globFiltersByNameOrRelativePath() throws IOException {
        hub.start();
        watcher = open(root, true, "*.log");
        Files.writeString(root.resolve("a.txt"), "a");
        Path b = Files.writeString(root.resolve("b.log"), "b");
        Path c = Files.writeString(Files.createDirectory(root.resolve("d")).resolve("c.log"), "c");

        List<FileChange> changes = sink.awaitChanges(has("created", b).and(has("created", c)), WAIT, "both .log files");

        assertThat(changes).allMatch(ch -> ch.path().endsWith(".log"));
    }

    @Test
    void singleFileWatchIgnoresSiblings() throws IOException {
        Path file = Files.writeString(root.resolve("config.yml"), "a: 1\n");
        Path sibling = Files.writeString(root.resolve("other.yml"), "b: 1\n");
        hub.start();
        watcher = open(file, false, null);
        Files.writeString(sibling, "b: 2 changed\n");
        Files.writeString(file, "a: 2 changed\n");

        List<FileChange> changes = sink.awaitChanges(has("modified", file), WAIT, "config.yml modified");

        assertThat(changes).extracting(FileChange::path).containsOnly(file.toString());
    }

    @Test
    void watchersOfTheSameFolderShareItsKeyAndOutliveEachOther() throws IOException {
        hub.start();
        RecordingSink second = new RecordingSink();
        watcher = open(root, false, null);
        TreeWatcher other = open(root, true, null, second);
        assertThat(hub.registeredKeys()).isEqualTo(1);
        other.close();
        assertThat(hub.registeredKeys()).isEqualTo(1); // still used by the first watcher
        Path file = Files.writeString(root.resolve("after.txt"), "x");
        sink.awaitChanges(has("created", file), WAIT, "created after the other watcher closed");
        watcher.close();
        assertThat(hub.registeredKeys()).isZero();
    }

    @Test
    void deletedWatchedFolderEndsTheStream() throws IOException {
        Path dir = Files.createDirectory(root.resolve("watched"));
        Path file = Files.writeString(dir.resolve("f.txt"), "f");
        hub.start();
        watcher = open(dir, true, null);
        Files.delete(file);
        Files.delete(dir);

        sink.awaitChanges(has("deleted", file), WAIT, "f.txt deleted");
        sink.awaitClosed(WAIT);
        assertThat(sink.closedPayload()).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) sink.closedPayload()).get("path")).isEqualTo(dir.toString());
    }

    @Test
    void treeLargerThanTheBoundIsRefusedAndReleasesItsFolders() throws IOException {
        for (int i = 0; i < 30; i++) {
            Files.createDirectories(root.resolve("d" + i + "/sub"));
        }
        TreeWatcher big = new TreeWatcher(new WatchTopic(root, true, null), hub, scheduler, Duration.ofMillis(50), sink, 50);
        assertThatThrownBy(big::open)
                .isInstanceOf(TreeWatcher.TooLargeException.class)
                .hasMessageContaining("more than 50 entries");
        assertThat(hub.registeredKeys()).isZero();
        // the same tree is fine with a bound it fits in, and later growth within the bound is tracked
        watcher = new TreeWatcher(new WatchTopic(root, true, null), hub, scheduler, Duration.ofMillis(50), sink, 70).open();
        hub.start();
        Path extra = Files.createDirectories(root.resolve("more/and/more"));
        sink.awaitChanges(has("created", extra), WAIT, "growth within the bound reported");
        assertThat(watcher.knownEntries()).isEqualTo(63);
    }

    /**
     * 5,000 files written while nobody drains the watch key: the JDK keeps 512 events and then one OVERFLOW.
     * The rescan must still report every file, each exactly once, in bounded time.
     */
    @Test
    void overflowIsRepairedByRescanWithEveryFileReportedOnce() throws IOException {
        Path dir = Files.createDirectory(root.resolve("flood"));
        watcher = open(root, true, null); // hub not started: events pile up in the key
        int count = 5_000;
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve("f" + i + ".txt");
            Files.writeString(file, "payload " + i);
            expected.add(file.toString());
        }
        long started = System.nanoTime();
        hub.start();

        List<FileChange> changes = sink.awaitChanges(c -> createdPaths(c).containsAll(expected), Duration.ofSeconds(60),
                "all " + count + " files created");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(hub.overflows()).isPositive();
        assertThat(watcher.rescans()).isPositive();
        Map<String, Long> createdCounts = changes.stream().filter(c -> c.type().equals("created"))
                .collect(Collectors.groupingBy(FileChange::path, Collectors.counting()));
        assertThat(createdCounts.entrySet()).filteredOn(e -> e.getValue() > 1).isEmpty();
        assertThat(changes).filteredOn(c -> c.type().equals("created") && expected.contains(c.path()))
                .allMatch(c -> c.size() > 0);
        assertThat(took).isLessThan(Duration.ofSeconds(60));
        assertThat(watcher.knownEntries()).isEqualTo(count + 1);
    }

    /**
     * A writer floods 8 folders of one recursive watch while the hub is busy: each folder's key overflows (more than
     * the JDK's 512 events), and each overflow used to re-read the whole tree, one full re-read per folder. Overflows
     * delivered together now cost one re-read of the watch (two if the kernel's events arrive in two batches).
     */
    @Test
    void overflowsOfManyFoldersDeliveredTogetherCoalesceIntoOneRescan() throws IOException {
        int folders = 8;
        int filesPerFolder = 300; // a create and a modify each: 600 events, past the 512 a key keeps
        Set<String> expected = new HashSet<>();
        for (int d = 0; d < folders; d++) {
            Files.createDirectory(root.resolve("d" + d));
        }
        watcher = open(root, true, null); // hub not started: events pile up in every folder's key
        for (int d = 0; d < folders; d++) {
            for (int i = 0; i < filesPerFolder; i++) {
                expected.add(Files.writeString(root.resolve("d" + d + "/f" + i), "x").toString());
            }
        }
        hub.start();

        sink.awaitChanges(c -> createdPaths(c).containsAll(expected), Duration.ofSeconds(60), "every file created");
        Await.until(() -> hub.overflows() >= folders, WAIT, "every folder's overflow delivered");
        Path marker = Files.writeString(root.resolve("marker"), "after"); // queued behind every key delivered so far
        sink.awaitChanges(has("created", marker), WAIT, "the marker after the overflows");

        assertThat(watcher.rescans()).isBetween(1L, 2L);
        assertThat(watcher.knownEntries()).isEqualTo(folders + folders * filesPerFolder + 1);
    }

    /**
     * Two watches share a total of 20 entries; a local writer makes 30 folders (30 kernel watches) under one of them.
     * That watch ends with LIMIT_EXCEEDED once its growth passes the total, gives back its share and its folders, and
     * the other watch keeps reporting.
     */
    @Test
    void treeGrowingPastTheNamespaceTotalEndsTheWatchThatGrew() throws IOException {
        EntryBudget budget = new EntryBudget(20);
        Path grows = Files.createDirectory(root.resolve("grows"));
        Path quiet = Files.createDirectory(root.resolve("quiet"));
        RecordingSink quietSink = new RecordingSink();
        try (TreeWatcher other = new TreeWatcher(new WatchTopic(quiet, true, null), hub, scheduler, Duration.ofMillis(50),
                quietSink, 1000, root, budget).open()) {
            watcher = new TreeWatcher(new WatchTopic(grows, true, null), hub, scheduler, Duration.ofMillis(50), sink, 1000,
                    root, budget).open();
            hub.start();
            for (int i = 0; i < 30; i++) {
                Files.createDirectory(grows.resolve("d" + i));
            }

            sink.awaitClosed(WAIT);

            assertThat(sink.closedPayload()).isInstanceOfSatisfying(Map.class, p -> assertThat(p)
                    .containsEntry("code", "LIMIT_EXCEEDED").containsEntry("path", grows.toString()));
            assertThat(String.valueOf(((Map<?, ?>) sink.closedPayload()).get("reason"))).contains("20 entries in total");
            assertThat(budget.used()).isEqualTo(1);
            assertThat(hub.registeredKeys()).isEqualTo(1);
            Path file = Files.writeString(quiet.resolve("still.txt"), "x");
            quietSink.awaitChanges(has("created", file), WAIT, "the other watch still reporting");
        }
    }

    /**
     * A folder under a recursive watch swapped, in a loop, for a link to a folder outside the root (and back): no
     * name from outside is ever reported. Outside names all start with "secret"; none exists inside.
     */
    @Test
    void folderSwappedForALinkOutsideNeverReportsOutsideEntries() throws IOException {
        Path inside = Files.createDirectory(root.resolve("root"));
        Path outside = Files.createDirectory(root.resolve("outside"));
        Path victim = Files.createDirectory(inside.resolve("victim"));
        Path parked = inside.resolve("parked");
        for (int d = 0; d < 5; d++) {
            Path in = Files.createDirectory(victim.resolve("sub" + d));
            Path out = Files.createDirectory(outside.resolve("sub" + d));
            for (int f = 0; f < 20; f++) {
                Files.writeString(in.resolve("mine" + f + ".txt"), "in");
                Files.writeString(out.resolve("secret" + f + ".txt"), "outside secret");
            }
        }
        for (int f = 0; f < 20; f++) {
            Files.writeString(outside.resolve("secret" + f + ".txt"), "outside secret");
        }
        hub.start();
        watcher = new TreeWatcher(new WatchTopic(inside, true, null), hub, scheduler, Duration.ofMillis(10), sink,
                Integer.MAX_VALUE, inside).open();

        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        for (int i = 0; i < 400 && System.nanoTime() < deadline; i++) {
            Files.move(victim, parked);
            Files.createSymbolicLink(victim, outside);
            Files.writeString(outside.resolve("secret-touch.txt"), "i=" + i); // events for keys that went outside
            Files.delete(victim);
            Files.move(parked, victim);
        }
        Path marker = Files.writeString(inside.resolve("marker.txt"), "done");
        sink.awaitChanges(has("created", marker), WAIT, "the marker after the swaps");

        List<String> reported = sink.changes().stream().map(FileChange::path).toList();
        assertThat(reported).filteredOn(p -> p.contains("secret")).as("names from outside the root").isEmpty();
        assertThat(reported).allMatch(p -> p.startsWith(inside + "/"));
    }

    /**
     * A tree that grows past FILES_MAX_ENTRIES after the watch opened (another user's process writing into it) ends
     * the watch with LIMIT_EXCEEDED instead of growing its snapshot without bound.
     */
    @Test
    void treeGrowingPastTheBoundAfterOpenEndsTheWatch() throws IOException {
        Path watched = Files.createDirectory(root.resolve("watched"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(watched.resolve("f" + i), "x");
        }
        hub.start();
        watcher = new TreeWatcher(new WatchTopic(watched, true, null), hub, scheduler, Duration.ofMillis(50), sink, 50).open();
        for (int i = 0; i < 200; i++) {
            Files.writeString(watched.resolve("g" + i), "x");
        }

        sink.awaitClosed(WAIT);

        Map<?, ?> payload = (Map<?, ?>) sink.closedPayload();
        assertThat(payload.get("code")).isEqualTo("LIMIT_EXCEEDED");
        assertThat((String) payload.get("reason")).contains("more than 50 entries");
        assertThat(watcher.knownEntries()).isZero();
        assertThat(hub.registeredKeys()).isZero();
    }

    /** An archive unpacked elsewhere and moved in at once: its scan stops at the bound, never reads it all. */
    @Test
    void largeFolderMovedInIsReadOnlyUpToTheBound() throws IOException {
        Path watched = Files.createDirectory(root.resolve("watched"));
        Path unpacked = Files.createDirectories(root.resolve("staging/archive"));
        for (int d = 0; d < 10; d++) {
            Path dir = Files.createDirectory(unpacked.resolve("d" + d));
            for (int i = 0; i < 100; i++) {
                Files.writeString(dir.resolve("f" + i), "x");
            }
        }
        hub.start();
        watcher = new TreeWatcher(new WatchTopic(watched, true, null), hub, scheduler, Duration.ofMillis(50), sink, 50).open();
        Files.move(unpacked, watched.resolve("archive"));

        sink.awaitClosed(WAIT);

        assertThat(((Map<?, ?>) sink.closedPayload()).get("code")).isEqualTo("LIMIT_EXCEEDED");
        assertThat(sink.changes()).hasSizeLessThanOrEqualTo(51);
        assertThat(hub.registeredKeys()).isZero();
    }

    @Test
    void renamingAFolderAwayAndBackKeepsTheTreeAsItIs() throws IOException {
        Path moved = Files.createDirectories(root.resolve("large/s"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(moved.resolve("f" + i), "x");
        }
        for (int d = 0; d < 20; d++) {
            Path dir = Files.createDirectory(root.resolve("large/d" + d));
            for (int i = 0; i < 100; i++) {
                Files.writeString(dir.resolve("f" + i), "");
            }
        }
        TreeWatcher watch = open(moved.getParent(), true, null, new RecordingSink());
        try {
            renameLoop(watch, moved, 50);
            assertThat(watch.knownEntries()).isEqualTo(2_000 + 20 + 6);
        } finally {
            watch.close();
        }
    }

    /** The events a rename of {@code dir} away and back produces, delivered {@code rounds} times. */
    private static void renameLoop(TreeWatcher watcher, Path dir, int rounds) {
        Path parent = dir.getParent();
        Path name = dir.getFileName();
        for (int i = 0; i < rounds; i++) {
            watcher.onEvents(parent, List.of(new Event(ENTRY_DELETE, name)));
            watcher.onEvents(parent, List.of(new Event(ENTRY_CREATE, name)));
        }
    }

    private record Event(WatchEvent.Kind<Path> kind, Path context) implements WatchEvent<Path> {
        @Override
        public int count() {
            return 1;
        }
    }

    /**
     * A local writer moves a 5,000-level-deep chain of folders into a recursive watch (deeper than PATH_MAX allows
     * by full path, built by a shell 500 levels at a time): the shared watch thread survives and keeps reporting,
     * and the chain is read down to MAX_DEPTH levels only.
     */
    @Test
    void veryDeepTreeMovedInLeavesTheWatchThreadWorking() throws Exception {
        Path watched = Files.createDirectory(root.resolve("watched"));
        Path staging = Files.createDirectory(root.resolve("staging"));
        String chain = "d/".repeat(500);
        try {
            assertThat(shell("cd -P \"$1\" && for i in 1 2 3 4 5 6 7 8 9 10; do mkdir -p " + chain + " && cd -P " + chain
                    + " || exit 1; done", staging)).as("deep chain built").isZero();
            hub.start();
            watcher = open(watched, true, null);
            Files.move(staging.resolve("d"), watched.resolve("d"));
            Path marker = Files.writeString(watched.resolve("marker.txt"), "after");

            List<FileChange> changes = sink.awaitChanges(has("created", marker), WAIT, "the marker after the deep chain");

            assertThat(changes).filteredOn(c -> c.path().startsWith(watched.resolve("d").toString()))
                    .hasSize(TreeWatcher.MAX_DEPTH);
            assertThat(watcher.registeredFolders()).isEqualTo(TreeWatcher.MAX_DEPTH);
        } finally {
            watcher.close();
            shell("rm -rf \"$1\"/watched \"$1\"/staging", root); // deeper than JUnit's clean-up reaches by full path
        }
    }

    /**
     * 300 folders whose full path is longer than PATH_MAX (under 17 levels of 250-character names, built by a shell)
     * moved into a recursive watch: inotify refuses each of them, and that is one warning per scan, not one per folder.
     */
    @Test
    void foldersThatCannotBeWatchedAreLoggedOncePerScan() throws Exception {
        Path watched = Files.createDirectory(root.resolve("watched"));
        Path staging = Files.createDirectory(root.resolve("staging"));
        String name = "n".repeat(250);
        Logger logger = (Logger) LoggerFactory.getLogger(TreeWatcher.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            assertThat(shell("cd -P \"$1\" && for i in $(seq 17); do mkdir " + name + " && cd -P " + name
                    + " || exit 1; done && for j in $(seq 300); do mkdir w$j || exit 1; done", staging))
                    .as("long chain built").isZero();
            hub.start();
            watcher = open(watched, true, null);
            Files.move(staging.resolve(name), watched.resolve(name));
            Path marker = Files.writeString(watched.resolve("marker.txt"), "after");
            sink.awaitChanges(has("created", marker), WAIT, "the marker after the long chain");

            List<String> warnings = captured.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("watch register failed")).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).containsPattern("folders=30[0-9] ");
        } finally {
            logger.detachAppender(captured);
            watcher.close();
            shell("rm -rf \"$1\"/watched \"$1\"/staging", root);
        }
    }

    private static int shell(String script, Path arg) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script, "sh", arg.toString()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("shell did not finish in 30 s: " + script.substring(0, Math.min(80, script.length())));
        }
        return p.exitValue();
    }

    private static Set<String> createdPaths(List<FileChange> changes) {
        return changes.stream().filter(c -> c.type().equals("created")).map(FileChange::path).collect(Collectors.toSet());
    }

    private static void deleteTree(Path path) throws IOException {
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

}
