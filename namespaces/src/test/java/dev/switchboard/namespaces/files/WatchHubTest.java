package dev.switchboard.namespaces.files;

import static dev.switchboard.namespaces.files.RecordingSink.has;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.namespaces.core.StreamSink;

class WatchHubTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path temp;
    Path root;
    WatchHub hub;
    ScheduledExecutorService scheduler;

    @BeforeEach
    void setUp() throws IOException {
        root = temp.toRealPath();
        hub = new WatchHub();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() {
        hub.close();
        scheduler.shutdownNow();
    }

    /** A subscriber side that throws an Error from its first change, on the hub's thread, as a deep path could. */
    private static final class ErrorOnChange implements StreamSink {
        final RecordingSink recorded = new RecordingSink();

        @Override
        public void emit(String event, Object payload) {
            throw new StackOverflowError("injected");
        }

        @Override
        public void emitVolatile(String event, Object payload) {
            throw new StackOverflowError("injected");
        }

        @Override
        public void closed(Object payload) {
            recorded.closed(payload);
        }
    }

    /**
     * An Error thrown while one watch handles its event must neither stop the hub's single thread (every other
     * watch of every client would go silent) nor leave the failed watch silently dead: it ends with stream:closed.
     */
    @Test
    void errorInOneWatchEndsThatWatchLoudlyAndOthersKeepReporting() throws IOException {
        Path bad = Files.createDirectory(root.resolve("bad"));
        Path good = Files.createDirectory(root.resolve("good"));
        ErrorOnChange failing = new ErrorOnChange();
        RecordingSink healthy = new RecordingSink();
        try (TreeWatcher broken = new TreeWatcher(new WatchTopic(bad, false, null), hub, scheduler, Duration.ZERO, failing).open();
             TreeWatcher working = new TreeWatcher(new WatchTopic(good, false, null), hub, scheduler, Duration.ZERO, healthy).open()) {
            hub.start();
            Files.writeString(bad.resolve("boom.txt"), "x");
            failing.recorded.awaitClosed(WAIT);
            assertThat(failing.recorded.closedPayload()).isInstanceOfSatisfying(Map.class,
                    p -> assertThat(p).containsEntry("code", "WATCH_FAILED").containsEntry("path", bad.toString()));
            assertThat(broken.registeredFolders()).isZero();

            for (int i = 0; i < 3; i++) {
                Path file = Files.writeString(good.resolve("after" + i + ".txt"), "y");
                healthy.awaitChanges(has("created", file), WAIT, "the healthy watch still reporting " + file);
            }
            assertThat(hub.registeredKeys()).isEqualTo(1);
        }
    }
}
