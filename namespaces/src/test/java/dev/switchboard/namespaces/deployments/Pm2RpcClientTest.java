package dev.switchboard.namespaces.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.namespaces.core.ProducerException;

class Pm2RpcClientTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void getMonitorDataListsTheAppWithoutItsEnvironment() throws Exception {
        try (Pm2Fixture pm2 = Pm2Fixture.start()) {
            Path app = pm2.script("ticker.js", "setInterval(() => console.log('tick ' + Date.now()), 200);\n");
            pm2.run("start", app.toString(), "--name", "ticker-app", "--env", "production");
            Pm2RpcClient rpc = new Pm2RpcClient(pm2.home.resolve("rpc.sock"), Duration.ofSeconds(3), scheduler, json);
            List<Pm2Process> processes = Pm2Process.fromMonitorData(rpc.call("getMonitorData", Map.of()));
            assertThat(processes).hasSize(1);
            Pm2Process p = processes.get(0);
            assertThat(p.name()).isEqualTo("ticker-app");
            assertThat(p.status()).isEqualTo("online");
            assertThat(p.outLog()).endsWith("ticker-app-out.log");
            assertThat(p.view(System.currentTimeMillis())).containsOnlyKeys("name", "id", "status", "restarts", "uptime", "cpu", "memory", "pid");
        }
    }

    @Test
    void noDaemonIsBackendUnavailable(@org.junit.jupiter.api.io.TempDir Path emptyHome) {
        Pm2RpcClient rpc = new Pm2RpcClient(emptyHome.resolve("rpc.sock"), Duration.ofSeconds(1), scheduler, json);
        assertThatThrownBy(() -> rpc.call("getMonitorData", Map.of()))
                .isInstanceOf(ProducerException.class)
                .satisfies(e -> assertThat(((ProducerException) e).code()).isEqualTo("BACKEND_UNAVAILABLE"));
    }
}
