package dev.switchboard.namespaces.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker engine through Debian's CLI ({@code /usr/bin/docker}, started by scripts/setup-docker.sh):
 * containers from {@code busybox:local} with {@code --network none}, all removed by {@link #close()}.
 * Skips the test when the engine or the image is not there.
 */
public final class DockerFixture implements AutoCloseable {
    public static final String DOCKER = "/usr/bin/docker";
    private final List<String> containers = new CopyOnWriteArrayList<>();

    public static DockerFixture require() {
        assumeTrue(Files.isExecutable(Path.of(DOCKER)), "docker is not installed: run scripts/setup-docker.sh");
        Result version = exec(20, DOCKER, "version", "--format", "{{.Server.Version}}");
        assumeTrue(version.code == 0, "docker engine is not running: run scripts/setup-docker.sh (" + version.output.trim() + ")");
        Result image = exec(20, DOCKER, "image", "inspect", "busybox:local");
        assumeTrue(image.code == 0, "image busybox:local is missing: run scripts/setup-docker.sh");
        return new DockerFixture();
    }

    public record Result(int code, String output) {
    }

    public static Result exec(int timeoutSeconds, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** docker CLI call that must succeed; returns its trimmed output. */
    public String docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add(DOCKER);
        command.addAll(List.of(args));
        Result result = exec(60, command.toArray(String[]::new));
        assertThat(result.code).as("docker %s: %s", String.join(" ", args), result.output).isZero();
        return result.output.trim();
    }

    /** Starts {@code sh -c script} detached; returns the container's name. */
    public String run(String script, String... extraOptions) {
        String name = "sb-test-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--network", "none", "--name", name));
        args.addAll(List.of(extraOptions));
        args.addAll(List.of("busybox:local", "sh", "-c", script));
        docker(args.toArray(String[]::new));
        containers.add(name);
        return name;
    }

    /** A script that waits for {@code /tmp/go} (created by {@link #go}) before running {@code then}. */
    public static String afterGo(String then) {
        return "while [ ! -f /tmp/go ]; do sleep 0.05; done; " + then;
    }

    public void go(String container) {
        docker("exec", container, "touch", "/tmp/go");
    }

    public String logs(String container) {
        return docker("logs", container);
    }

    @Override
    public void close() {
        for (String c : containers) {
            exec(60, DOCKER, "rm", "-f", c);
        }
    }
}
