package dev.switchboard.namespaces.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GlobTest {
    private static final List<String> GLOBS = List.of("*.log", "**.log", "**/*.log", "a/*/c", "a/**/c", "a/**", "?",
            "??.txt", "[abc]*", "[!abc]*", "[a-c]x", "[a-]", "[-a]", "[^a]", "[\\]]", "[[]x", "{a,b}.txt", "{,x}y",
            "{}", "{*.log,*.txt}", "file\\*", "a\\{b\\}", "x}y", "a,b", "*", "**", "*/*", "src/**/test/*.java",
            "[a-z][0-9]?", "*?*?*?", "{a*,b?}/c", "é*", "\uD83D\uDE00?", "?.txt", "*\n*", "**\n");
    private static final List<String> NAMES = List.of("", "a", "b", "x", "-", "^", "]", "[x", "a.log", "dir/a.log",
            "dir/sub/a.log", ".log", "a/b/c", "a/c", "a/x/y/c", "a/", "ab.txt", "abc.txt", "a.txt", "b.txt", "y",
            "xy", "file*", "fileX", "a{b}", "x}y", "a,b", "c1z", "a0", "src/main/test/A.java", "src/test/A.java",
            "abc/c", "bc/c", "é", "éa", "\uD83D\uDE00x", "\uD83D\uDE00.txt", "a\nb", "x\n", "a/b\nc");

    @Test
    void matchesExactlyWhatTheJdkGlobMatches() {
        for (String text : GLOBS) {
            PathMatcher jdk = FileSystems.getDefault().getPathMatcher("glob:" + text);
            Glob ours = Glob.compile(text);
            for (String name : NAMES) {
                Path path = Path.of(name); // as the watcher hands it over: a normalized path's text
                boolean expected = jdk.matches(path);
                assertThat(ours.matches(path.toString())).as("glob %s name %s", text, name).isEqualTo(expected);
            }
        }
    }

    @Test
    void refusesWhatTheJdkRefuses() {
        for (String text : List.of("[a-", "[abc", "a\\", "{a,{b}}", "{a,b", "[a/b]", "[b-a]", "[a-b-c]", "[^-z]")) {
            assertThatThrownBy(() -> FileSystems.getDefault().getPathMatcher("glob:" + text)).as("jdk %s", text)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Glob.compile(text)).as(text).isInstanceOf(Glob.InvalidGlobException.class);
        }
    }

    @Test
    void refusesGlobsOverTheBounds() {
        assertThatThrownBy(() -> Glob.compile("")).isInstanceOf(Glob.InvalidGlobException.class);
        assertThatThrownBy(() -> Glob.compile("a".repeat(Glob.MAX_LENGTH + 1)))
                .isInstanceOf(Glob.InvalidGlobException.class).hasMessageContaining("at most 256 characters");
        assertThatThrownBy(() -> Glob.compile("*?".repeat(40)))
                .isInstanceOf(Glob.InvalidGlobException.class).hasMessageContaining("more than 32 wildcards");
        assertThatThrownBy(() -> Glob.compile("{" + "a,".repeat(40) + "b}"))
                .isInstanceOf(Glob.InvalidGlobException.class).hasMessageContaining("more than 32 wildcards");
        assertThat(Glob.compile("a".repeat(Glob.MAX_LENGTH)).matches("a".repeat(Glob.MAX_LENGTH))).isTrue();
        assertThat(Glob.compile("*?".repeat(16)).matches("a".repeat(16))).isTrue();
    }

    /** The glob that pins the JDK's backtracking regex for hours answers at once, and right. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void backtrackingGlobAnswersInLinearTime() {
        Glob glob = Glob.compile("*?".repeat(16) + "x");
        String miss = "a".repeat(4000);
        for (int i = 0; i < 20; i++) {
            assertThat(glob.matches(miss)).isFalse();
        }
        assertThat(glob.matches("a".repeat(15) + "x")).isFalse();
        assertThat(glob.matches("a".repeat(16) + "x")).isTrue();
        assertThat(glob.matches(miss + "x")).isTrue();
        assertThat(glob.matches("a".repeat(20) + "/x")).isFalse();
        assertThat(Glob.compile("**x").matches("a/".repeat(2000) + "x")).isTrue();
    }
}
