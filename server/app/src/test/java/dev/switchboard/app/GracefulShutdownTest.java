package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.FreePort;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * The real Main in a child JVM: SIGTERM/SIGINT drain and exit 0 within SHUTDOWN_GRACE_MS, the client sees
 * "transport close" and reconnects to the next server on the same port; bad configuration exits 2.
 */
class GracefulShutdownTest {
    private static final long GRACE_MS = 3000;
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void sigtermDrainsClientsReconnectToTheNextServerAndSigintAlsoExitsZero() throws Exception {
        int wsPort = FreePort.find();
        int apiPort = FreePort.find();
        Path firstLog = dir.resolve("first.log");
        Process first = startChild(Map.of("WS_PORT", "" + wsPort, "API_PORT", "" + apiPort), firstLog);
        awaitHealthy(apiPort, first, firstLog);

        try (NodeClientDriver driver = NodeClientDriver.start()) {
            NodeSocket socket = driver.connect("http://127.0.0.1:" + wsPort, "/echo",
                    ClientOptions.defaults().reconnectionDelay(Duration.ofMillis(200)));
            socket.awaitConnect(WAIT);
            socket.awaitEvent("connected", WAIT);

            long sent = System.nanoTime();
            first.destroy(); // SIGTERM
            assertThat(first.waitFor(GRACE_MS + 5000, TimeUnit.MILLISECONDS)).as("exited").isTrue();
            long tookMs = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertThat(first.exitValue()).as("exit code; log:\n%s", read(firstLog)).isZero();
            assertThat(tookMs).isLessThan(GRACE_MS + 1500);
            assertThat(socket.awaitDisconnect(WAIT)).isEqualTo("transport close");
            assertThat(read(firstLog)).contains("shutdown started").contains("shutdown complete").contains("exiting code=0");

            Path secondLog = dir.resolve("second.log");
            Process second = startChild(Map.of("WS_PORT", "" + wsPort, "API_PORT", "" + apiPort), secondLog);
            awaitHealthy(apiPort, second, secondLog);
            socket.awaitLifecycle("connect", 2, WAIT);
            socket.awaitServerEvent("connected", args -> true, 2, WAIT);

            new ProcessBuilder("kill", "-INT", Long.toString(second.pid())).inheritIO().start().waitFor();
            assertThat(second.waitFor(GRACE_MS + 5000, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(second.exitValue()).as("exit code after SIGINT; log:\n%s", read(secondLog)).isZero();
        }
    }

    @Test
    void aStepStuckPastTheGraceIsLeftBehindAndTheExitIsStillZeroOnTime() throws Exception {
        int apiPort = FreePort.find();
        Path log = dir.resolve("stuck.log");
        Process child = startChild(Map.of("WS_PORT", "" + FreePort.find(), "API_PORT", "" + apiPort,
                "TEST_STUCK_CLOSE", "true"), log);
        awaitHealthy(apiPort, child, log);

        child.destroy(); // SIGTERM
        assertThat(child.waitFor(GRACE_MS + 5000, TimeUnit.MILLISECONDS)).as("exited").isTrue();
        // the watchdog (grace + 2 s) would have halted with 1; the shutdown went on past the stuck step instead
        assertThat(child.exitValue()).as("exit code; log:\n%s", read(log)).isZero();
        assertThat(read(log)).contains("shutdown step timed out step=namespace /stuck")
                .contains("shutdown complete").contains("exiting code=0").doesNotContain("halting");
    }

    @Test
    void badConfigurationExitsTwoNamingTheVariable() throws Exception {
        Path log = dir.resolve("bad.log");
        Process child = startChild(Map.of("WS_PORT", "not-a-port"), log);
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(Main.EXIT_BAD_CONFIG);
        assertThat(read(log)).contains("invalid configuration variable=WS_PORT");
    }

    @Test
    void portInUseExitsOneAndJsonLogsAreOneObjectPerLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path log = dir.resolve("busy.log");
            Process child = startChild(Map.of("WS_PORT", "" + taken.getLocalPort(), "API_PORT", "" + FreePort.find(),
                    "LOG_FORMAT", "json"), log);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("log:\n%s", read(log)).isEqualTo(Main.EXIT_START_FAILED);
            List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
            assertThat(lines).isNotEmpty();
            ObjectMapper mapper = new ObjectMapper();
            for (String line : lines) {
                assertThat(mapper.readTree(line).path("level").asText()).as(line).isNotEmpty();
            }
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("start failed").contains("stack_trace"));
        }
    }

    private Process startChild(Map<String, String> env, Path log) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // the app's own logback.xml, not a logback-test.xml some test jar on the class path may carry
        String logbackXml = Main.class.getResource("/logback.xml").toString();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dlogback.configurationFile=" + logbackXml, "-cp", classPath, ChildServerMain.class.getName());
        builder.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD") || k.endsWith("_PORT") || k.endsWith("HOST"));
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("API_HOST", "127.0.0.1");
        builder.environment().put("SHUTDOWN_GRACE_MS", Long.toString(GRACE_MS));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        children.add(process);
        return process;
    }

    private static void awaitHealthy(int apiPort, Process process, Path log) {
        Await.until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ":\n" + read(log));
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + apiPort + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && response.body().contains("\"status\":\"healthy\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, Duration.ofSeconds(60), "child server healthy on API port " + apiPort);
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
