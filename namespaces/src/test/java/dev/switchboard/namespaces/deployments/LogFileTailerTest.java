package dev.switchboard.namespaces.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTailerTest {
    @TempDir
    Path dir;

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void tailThenFollowsAppendedLinesRejoiningPartialWrites() throws IOException {
        Path file = dir.resolve("app-out.log");
        append(file, "one\ntwo\nthree\nfour\npartial");
        List<String> live = new ArrayList<>();
        try (LogFileTailer tailer = new LogFileTailer(file, 1024, live::add)) {
            assertThat(tailer.open(2, 1024)).containsExactly("three", "four");
            tailer.poll();
            assertThat(live).isEmpty();
            append(file, " end\nfive\n");
            tailer.poll();
            assertThat(live).containsExactly("partial end", "five");
        }
    }

    @Test
    void copyThenTruncateLosesNoLineEvenWhenTheFileRegrowsBeforeThePoll() throws IOException {
        Path file = dir.resolve("app-out.log");
        append(file, "");
        List<String> live = new ArrayList<>();
        try (LogFileTailer tailer = new LogFileTailer(file, 1024, live::add)) {
            tailer.open(10, 1024);
            append(file, "l1\nl2\n");
            tailer.poll();
            append(file, "l3\nl4\n");                     // written, not yet read
            Files.copy(file, dir.resolve("app-out__2026-11-21_23-00-00.log"));
            Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            append(file, "l5-a-longer-line-than-before\nl6\n"); // regrows past the old position
            tailer.poll();
            assertThat(live).containsExactly("l1", "l2", "l3", "l4", "l5-a-longer-line-than-before", "l6");
        }
    }

    @Test
    void renameRotationReadsTheOldFileToItsEndThenTheNewOne() throws IOException {
        Path file = dir.resolve("svc.log");
        append(file, "a\n");
        List<String> live = new ArrayList<>();
        try (LogFileTailer tailer = new LogFileTailer(file, 1024, live::add)) {
            tailer.open(10, 1024);
            append(file, "b\n");
            Files.move(file, dir.resolve("svc.log.1"), StandardCopyOption.ATOMIC_MOVE);
            append(dir.resolve("svc.log.1"), "c\n"); // the writer still had the old file open
            append(file, "d\n");
            tailer.poll();
            tailer.poll();
            assertThat(live).containsExactly("b", "c", "d");
        }
    }

    /** Two copies with the same modification time (two rotations in one file-time tick): the one we read wins. */
    @Test
    void rotatedCopiesWithTheSameTimeAreToldApartByWhatWasRead() throws Exception {
        Path file = dir.resolve("tick-out.log");
        append(file, "a1\na2\n");
        List<String> live = new ArrayList<>();
        try (LogFileTailer tailer = new LogFileTailer(file, 1024, live::add)) {
            tailer.open(0, 1024);
            tailer.poll();
            append(file, "a3\n"); // written after our read: only in the copy
            Path right = dir.resolve("tick-out__rot001.log");
            Files.copy(file, right);
            Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            // an unrelated copy, as long, sorting after the right one by name, with the same time
            Path decoy = dir.resolve("tick-out__rot002.log");
            Files.writeString(decoy, "zz\nzz\nzz\nzz\n");
            java.nio.file.attribute.FileTime same = Files.getLastModifiedTime(right);
            Files.setLastModifiedTime(decoy, same);
            append(file, "b1\n");
            tailer.poll();
            assertThat(live).containsExactly("a3", "b1"); // opened at the end (tail 0): a1, a2 were history
        }
    }

    @Test
    void aCopyTruncateOfAFileNothingWasReadOfIsReadFromTheCopy() throws Exception {
        Path file = dir.resolve("quiet-out.log");
        append(file, "");
        List<String> live = new ArrayList<>();
        try (LogFileTailer tailer = new LogFileTailer(file, 1024, live::add)) {
            tailer.open(0, 1024);
            tailer.poll(); // empty: position 0, nothing to compare a later size with
            append(file, "a\nb\n");
            Files.copy(file, dir.resolve("quiet-out__rot000.log"));
            Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            append(file, "c\n");
            tailer.poll();
            assertThat(live).containsExactly("a", "b", "c");
        }
    }

    @Test
    void aCopyWhoseFileIsNotTruncatedYetIsNotReadTwice() throws Exception {
        Path file = dir.resolve("midway-out.log");
        append(file, "");
        List<String> live = new ArrayList<>();
        try (LogFileTailer tailer = new LogFileTailer(file, 1024, live::add)) {
            tailer.open(0, 1024);
            tailer.poll();
            append(file, "x\n");
            Files.copy(file, dir.resolve("midway-out__rot000.log")); // the rotator has copied, not yet truncated
            tailer.poll();
            Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            append(file, "y\n");
            tailer.poll();
            assertThat(live).containsExactly("x", "y");
        }
    }

    @Test
    void manyCopyTruncateRotationsUnderAConcurrentWriterLoseNothing() throws Exception {
        Path file = dir.resolve("flood-out.log");
        append(file, "");
        List<String> live = new ArrayList<>();
        Object rotationLock = new Object(); // an ideal rotator: no write lands between copy and truncate
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        int total = 20_000;
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    synchronized (rotationLock) {
                        append(file, "line " + i + "\n");
                    }
                    written.incrementAndGet();
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            } finally {
                done.set(true);
            }
        });
        try (LogFileTailer tailer = new LogFileTailer(file, 1024, live::add)) {
            tailer.open(0, 1024);
            writer.start();
            int rotations = 0;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!done.get() && System.nanoTime() < deadline) {
                tailer.poll();
                if (written.get() > (rotations + 1) * 2_000) {
                    synchronized (rotationLock) {
                        Files.copy(file, dir.resolve("flood-out__rot" + String.format("%03d", rotations) + ".log"));
                        Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
                    }
                    rotations++;
                }
            }
            writer.join(10_000);
            tailer.poll();
            assertThat(rotations).isGreaterThanOrEqualTo(3);
            assertThat(live).hasSize(total);
            for (int i = 0; i < total; i++) {
                assertThat(live.get(i)).isEqualTo("line " + i);
            }
        }
    }
}
