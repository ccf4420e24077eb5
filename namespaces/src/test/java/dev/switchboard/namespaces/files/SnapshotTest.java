package dev.switchboard.namespaces.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The snapshot's index by parent folder: what a deleted folder held is found from that folder's own entries (so a
 * rename loop in a large tree costs what is renamed; measured in the commit that added it: 500 renames of a 6-entry
 * folder took 1,810 ms in a 20,026-entry tree before, 63 ms after), and it stays exact as entries come and go.
 */
class SnapshotTest {
    private final Path root = Path.of("/w");

    @Test
    void underIsExactlyTheFoldersSubtreeWhateverElseTheTreeHolds() {
        Snapshot<String> snapshot = new Snapshot<>();
        for (int d = 0; d < 20; d++) {
            for (int i = 0; i < 100; i++) {
                snapshot.put(root.resolve("d" + d).resolve("f" + i), "file");
            }
        }
        Path moved = root.resolve("s");
        snapshot.put(moved, "dir");
        snapshot.put(moved.resolve("a"), "file");
        snapshot.put(moved.resolve("sub"), "dir");
        snapshot.put(moved.resolve("sub/b"), "file");

        assertThat(snapshot.under(moved)).containsExactlyInAnyOrder(moved.resolve("a"), moved.resolve("sub"),
                moved.resolve("sub/b"));
        assertThat(snapshot.under(root.resolve("d3"))).hasSize(100);
    }

    @Test
    void removingAndPuttingBackKeepsTheIndexExact() {
        Snapshot<String> snapshot = new Snapshot<>();
        Path moved = root.resolve("s");
        for (int round = 0; round < 3; round++) {
            snapshot.put(moved, "dir");
            snapshot.put(moved.resolve("a"), "file");
            snapshot.put(moved.resolve("sub"), "dir"); // a folder is recorded before what it holds
            snapshot.put(moved.resolve("sub/b"), "file");
            assertThat(snapshot.under(moved)).containsExactlyInAnyOrder(moved.resolve("a"), moved.resolve("sub"),
                    moved.resolve("sub/b"));
            for (Path inside : snapshot.under(moved)) {
                snapshot.remove(inside);
            }
            snapshot.remove(moved);
            assertThat(snapshot.size()).isZero();
            assertThat(snapshot.under(moved)).isEmpty();
            assertThat(snapshot.under(root)).isEmpty();
        }
    }
}
