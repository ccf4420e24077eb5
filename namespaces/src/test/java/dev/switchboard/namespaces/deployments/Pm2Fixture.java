package dev.switchboard.namespaces.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PM2 daemon in a temporary PM2_HOME, driven with test-support/node's pm2 (scripts/setup-pm2.sh installs it).
 * Skips the test when that pm2 is not installed. {@link #close()} runs {@code pm2 kill} and deletes the home.
 */
final class Pm2Fixture implements AutoCloseable {
    final Path home;
    final Path pm2;

    private Pm2Fixture(Path home, Path pm2) {
        this.home = home;
        this.pm2 = pm2;
    }

    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/setup-pm2.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root (with scripts/setup-pm2.sh) not found");
    }

    static Pm2Fixture start() throws IOException {
        Path pm2 = repoRoot().resolve("test-support/node/node_modules/.bin/pm2");
        assumeTrue(Files.isExecutable(pm2), "pm2 is not installed at " + pm2 + ": run scripts/setup-pm2.sh");
        Path home = Files.createTempDirectory("sb-pm2-home-");
        return new Pm2Fixture(home, pm2);
    }

    /** Runs a pm2 command with this PM2_HOME (starting the daemon if needed); fails on a non-zero exit. */
    String run(String... args) throws IOException, InterruptedException {
        return run(java.util.Map.of(), args);
    }

    /** Like {@link #run(String...)} with extra environment variables (an app started this way inherits them). */
    String run(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(pm2.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PM2_HOME", home.toString());
        builder.environment().put("PM2_DISABLE_VERSION_CHECK", "true");
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("pm2 %s finished", args[0]).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("pm2 %s exit code; output:%n%s", String.join(" ", args), text).isZero();
        return text;
    }

    /** Writes a tiny Node app to the home folder and returns its path. */
    Path script(String name, String source) throws IOException {
        Path file = home.resolve(name);
        Files.writeString(file, source);
        return file;
    }

    Pm2Settings settings() {
        return Pm2Settings.defaults().withPm2Home(home);
    }

    @Override
    public void close() throws Exception {
        try {
            run("kill");
        } finally {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
