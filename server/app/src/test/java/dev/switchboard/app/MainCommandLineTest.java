package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.testkit.Await;

/** The real {@code Main} in a child JVM: commands exit without starting a server; a misspelt variable is warned about. */
class MainCommandLineTest {
    private final List<Process> children = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void helpPrintsTheUsageAndExitsZeroWithoutStartingAServer() throws Exception {
        Path log = dir.resolve("help.log");
        Process child = start(Map.of(), log, "--help");
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(child.exitValue()).as(read(log)).isZero();
        assertThat(read(log)).startsWith("Usage: java -jar switchboard.jar").doesNotContain("switchboard starting");
    }

    @Test
    void anUnknownArgumentExitsTwoWithTheUsage() throws Exception {
        Path log = dir.resolve("unknown.log");
        Process child = start(Map.of(), log, "--bogus");
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(child.exitValue()).as(read(log)).isEqualTo(2);
        assertThat(read(log)).contains("error: unknown arguments: --bogus", "Usage:").doesNotContain("switchboard starting");
    }

    @Test
    void aMisspeltVariableIsWarnedAboutOnceAtStart() throws Exception {
        Path log = dir.resolve("typo.log");
        Process child = start(Map.of("CORS_ORIGIN", "https://app.example.com"), log);
        Await.until(() -> {
            if (!child.isAlive()) {
                throw new AssertionError("exited with " + child.exitValue() + ":\n" + read(log));
            }
            return read(log).contains("switchboard started");
        }, Duration.ofSeconds(60), "switchboard started");
        String text = read(log);
        assertThat(text.lines().filter(l -> l.contains("unknown variable")).toList()).singleElement().asString()
                .contains("WARN").contains("unknown variable name=CORS_ORIGIN nearest=CORS_ORIGINS source=environment");
        child.destroy();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private Process start(Map<String, String> env, Path log, String... args) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String logbackXml = Main.class.getResource("/logback.xml").toString();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dlogback.configurationFile=" + logbackXml, "-cp", classPath, Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("JAVA_HOME"));
        // ephemeral ports: a Main that ignored its arguments would start a server, never on a port in use
        builder.environment().putAll(Map.of("HOST", "127.0.0.1", "API_HOST", "127.0.0.1", "WS_PORT", "0", "API_PORT", "0",
                "NAMESPACES", "/system", "WS_CHANNELS_ENABLED", "false"));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        children.add(process);
        return process;
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
