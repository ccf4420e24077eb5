package dev.switchboard.namespaces.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.namespaces.core.ProducerException;

class PathGuardTest {
    @TempDir
    Path temp;
    Path root;
    Path outside;
    PathGuard guard;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(temp.resolve("root")).toRealPath();
        outside = Files.createDirectories(temp.resolve("outside")).toRealPath();
        Files.createDirectories(root.resolve("logs/app"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        guard = new PathGuard(List.of(root));
    }

    private static String code(ThrowingCall call) {
        try {
            call.run();
        } catch (ProducerException e) {
            return e.code();
        }
        throw new AssertionError("expected a ProducerException");
    }

    interface ThrowingCall {
        void run() throws ProducerException;
    }

    @Test
    void noRootsRefusesEverything() {
        PathGuard none = new PathGuard(List.of());
        assertThatThrownBy(() -> none.resolve(root.toString()))
                .isInstanceOf(ProducerException.class)
                .hasMessageContaining("no roots are configured");
        assertThat(code(() -> none.resolve("/"))).isEqualTo("FORBIDDEN");
    }

    @Test
    void pathsUnderRootResolveToCanonicalForm() throws ProducerException {
        assertThat(guard.resolve(root.toString())).isEqualTo(root);
        assertThat(guard.resolve(root + "/logs/./app/../app")).isEqualTo(root.resolve("logs/app"));
        assertThat(guard.resolve("logs/app")).isEqualTo(root.resolve("logs/app")); // relative: to the first root
    }

    @Test
    void dotDotCannotEscape() {
        assertThat(code(() -> guard.resolve("../../etc"))).isEqualTo("FORBIDDEN");
        assertThat(code(() -> guard.resolve("logs/../../outside"))).isEqualTo("FORBIDDEN");
        assertThat(code(() -> guard.resolve(root + "/../outside/secret.txt"))).isEqualTo("FORBIDDEN");
    }

    @Test
    void absolutePathsOutsideRootsAreRefused() {
        assertThat(code(() -> guard.resolve("/etc"))).isEqualTo("FORBIDDEN");
        assertThat(code(() -> guard.resolve(outside.toString()))).isEqualTo("FORBIDDEN");
        // a sibling whose name starts with the root's name is not under it
        assertThat(code(() -> guard.resolve(root + "-evil"))).isEqualTo("FORBIDDEN");
    }

    @Test
    void symlinkPointingOutsideIsRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("escape-file"), outside.resolve("secret.txt"));
        assertThat(code(() -> guard.resolve(root + "/escape"))).isEqualTo("FORBIDDEN");
        assertThat(code(() -> guard.resolve("escape/secret.txt"))).isEqualTo("FORBIDDEN");
        assertThat(code(() -> guard.resolve("escape-file"))).isEqualTo("FORBIDDEN");
    }

    @Test
    void symlinkInsideRootsIsFollowedToItsTarget() throws IOException, ProducerException {
        Files.createSymbolicLink(root.resolve("shortcut"), root.resolve("logs/app"));
        assertThat(guard.resolve("shortcut")).isEqualTo(root.resolve("logs/app"));
    }

    @Test
    void missingPathSaysNotFoundOnlyUnderRoots() {
        assertThat(code(() -> guard.resolve("logs/nope"))).isEqualTo("NOT_FOUND");
        assertThat(code(() -> guard.resolve(outside + "/nope"))).isEqualTo("FORBIDDEN"); // existence not revealed
    }

    /** Behind an in-root link to outside, a missing file answers as an existing one: existence is not revealed. */
    @Test
    void missingAndExistingBehindALinkOutsideAnswerTheSame() throws IOException {
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("nope.txt"));
        Files.createSymbolicLink(root.resolve("dangling-dir"), outside.resolve("nope"));
        for (String path : new String[] {"escape/secret.txt", "escape/nope.txt", "escape/nope/deeper", "escape/secret.txt/x",
                "dangling", "dangling-dir/x", root + "/escape/nope.txt"}) {
            assertThat(code(() -> guard.resolve(path))).as(path).isEqualTo("FORBIDDEN");
        }
        assertThat(code(() -> guard.resolve("logs/app/nope/deeper"))).isEqualTo("NOT_FOUND");
    }

    @Test
    void malformedPathsAreBadRequests() {
        assertThat(code(() -> guard.resolve(""))).isEqualTo("BAD_REQUEST");
        assertThat(code(() -> guard.resolve("   "))).isEqualTo("BAD_REQUEST");
        assertThat(code(() -> guard.resolve("logs\0/x"))).isEqualTo("BAD_REQUEST");
        assertThat(code(() -> guard.resolve("a".repeat(PathGuard.MAX_PATH_LENGTH + 1)))).isEqualTo("BAD_REQUEST");
    }

    @Test
    void missingRootsAreSkipped() {
        PathGuard partial = new PathGuard(List.of(temp.resolve("does-not-exist"), root));
        assertThat(partial.roots()).containsExactly(root);
    }
}
