package dev.switchboard.namespaces.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.namespaces.core.NamespaceTestServer;

/**
 * Restarts the real dockerd under a live log stream: subscribers get {@code logs:notice} and the stream resumes
 * (the container has restart policy "always", so Docker starts it again) without duplicates or gaps.
 * Slow (~10-20 s): stops and starts dockerd with scripts/setup-docker.sh.
 */
class DockerEngineRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void streamResumesAfterDockerdRestartWithANoticeAndNoDuplicates() throws Exception {
        try (DockerFixture docker = DockerFixture.require();
             NodeClientDriver driver = NodeClientDriver.start()) {
            String c = docker.run("trap 'exit 0' TERM; boot=$(cat /proc/sys/kernel/random/uuid); i=0; "
                    + "while true; do i=$((i+1)); echo \"$boot $i\"; sleep 0.05; done", "--restart", "always");
            try (NamespaceTestServer server = NamespaceTestServer.start(ServicesNamespace.DEFINITION.with(DockerSettings.defaults()))) {
                ServicesNamespace services = server.running();
                NodeSocket socket = driver.connect(server.url(), "/services");
                socket.awaitConnect(WAIT);
                socket.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "tail", 0));
                Await.until(() -> ServicesNamespaceTest.lineCount(socket) >= 10, WAIT, "lines before the restart");

                restartDockerd(docker);

                socket.awaitEvent("logs:notice", args -> args.get(0).path("message").asText().contains("unreachable"), Duration.ofSeconds(60));
                socket.awaitEvent("logs:notice", args -> args.get(0).path("message").asText().contains("resumed"), Duration.ofSeconds(60));
                Await.until(() -> boots(socket).size() >= 2 && lastBootLines(socket) >= 10, Duration.ofSeconds(60),
                        "lines of the container's second run");

                Set<String> seen = new HashSet<>();
                Map<String, Integer> lastOfBoot = new LinkedHashMap<>();
                for (String line : ServicesNamespaceTest.lines(socket)) {
                    assertThat(seen.add(line)).as("duplicate %s", line).isTrue();
                    String[] parts = line.substring(line.indexOf('|') + 1).split(" ");
                    int n = Integer.parseInt(parts[1]);
                    Integer previous = lastOfBoot.put(parts[0], n);
                    if (previous != null) {
                        assertThat(n).as("no gap in run %s", parts[0]).isEqualTo(previous + 1);
                    }
                }
                assertThat(services.activeStreams()).isEqualTo(1);
            }
        }
    }

    private static List<String> boots(NodeSocket socket) {
        List<String> boots = new ArrayList<>();
        for (String line : ServicesNamespaceTest.lines(socket)) {
            String boot = line.substring(line.indexOf('|') + 1).split(" ")[0];
            if (!boots.contains(boot)) {
                boots.add(boot);
            }
        }
        return boots;
    }

    private static int lastBootLines(NodeSocket socket) {
        List<String> boots = boots(socket);
        String last = boots.get(boots.size() - 1);
        int n = 0;
        for (String line : ServicesNamespaceTest.lines(socket)) {
            if (line.contains("|" + last + " ")) {
                n++;
            }
        }
        return n;
    }

    private static void restartDockerd(DockerFixture docker) throws Exception {
        String pid = Files.readString(Path.of("/var/run/docker.pid")).trim();
        assertThat(DockerFixture.exec(10, "kill", "-TERM", pid).code()).isZero();
        Await.until(() -> !Files.exists(Path.of("/proc", pid)), Duration.ofSeconds(60), "dockerd " + pid + " stopped");
        Path script = Path.of("").toAbsolutePath();
        while (!Files.exists(script.resolve("scripts/setup-docker.sh"))) {
            script = script.getParent();
        }
        DockerFixture.Result result = DockerFixture.exec(120, "bash", script.resolve("scripts/setup-docker.sh").toString());
        assertThat(result.code()).as("setup-docker.sh: %s", result.output()).isZero();
    }
}
