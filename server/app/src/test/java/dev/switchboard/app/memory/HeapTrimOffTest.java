package dev.switchboard.app.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.app.CapturedLogs;
import dev.switchboard.app.EchoNamespace;
import dev.switchboard.app.SwitchboardServer;
import dev.switchboard.app.TestServers;

/** This test JVM runs without -XX:+ExplicitGCInvokesConcurrent: System.gc() would stop the world, so no trim. */
class HeapTrimOffTest {
    @Test
    void withoutConcurrentExplicitCollectionsTheServerSaysOnceThatItNeverTrims() {
        assertThat(HeapTrim.missingJvmSupport()).isNotNull();
        try (CapturedLogs logs = new CapturedLogs();
             SwitchboardServer server = TestServers.start(Map.of(), List.of(new EchoNamespace("/echo")))) {
            assertThat(logs.count("heap trim off reason=" + HeapTrim.missingJvmSupport())).isEqualTo(1);
        }
    }

    @Test
    void turnedOffItSaysNothing() {
        try (CapturedLogs logs = new CapturedLogs();
             SwitchboardServer server = TestServers.start(Map.of("HEAP_TRIM_AFTER_BURST", "false"),
                     List.of(new EchoNamespace("/echo")))) {
            assertThat(logs.count("heap trim")).isZero();
        }
    }
}
