package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.testkit.Await;

/**
 * The runnable jar carries the epoll native for both Linux architectures a VPS runs on, each built for its own
 * machine: without the aarch64 one an ARM host falls back to NIO.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShadedJarNativesIT {
    private static final int ELF_MACHINE_X86_64 = 0x3E;
    private static final int ELF_MACHINE_AARCH64 = 0xB7;

    @Test
    void theJarCarriesTheEpollNativeForX8664AndAarch64() throws IOException {
        Path jar = jar();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> natives = Collections.list(zip.entries()).stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("META-INF/native/") && !n.endsWith("/")).toList();
            assertThat(natives).contains("META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                    "META-INF/native/libnetty_transport_native_epoll_aarch_64.so");
            assertThat(elfMachine(zip, "META-INF/native/libnetty_transport_native_epoll_x86_64.so"))
                    .isEqualTo(ELF_MACHINE_X86_64);
            assertThat(elfMachine(zip, "META-INF/native/libnetty_transport_native_epoll_aarch_64.so"))
                    .isEqualTo(ELF_MACHINE_AARCH64);
        }
    }

    @Test
    void theJarStartedOnLinuxLoadsItsEpollNativeAndSaysSo() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "epoll is Linux only");
        assumeTrue(Set.of("amd64", "aarch64").contains(System.getProperty("os.arch")), "no native shipped for this arch");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("HOST", "127.0.0.1", "WS_PORT", "0", "API_HOST", "127.0.0.1",
                "API_PORT", "0", "SHUTDOWN_GRACE_MS", "0", "LOG_FORMAT", "text"));
        List<String> output = new CopyOnWriteArrayList<>();
        Process server = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) output.add(line);
            } catch (IOException ignored) {
                // the process ended
            }
        }, "jar-output");
        reader.setDaemon(true);
        reader.start();
        try {
            // the transport line comes before the listener binds: once it listens, the line is there or missing
            Await.until(() -> output.stream().anyMatch(l -> l.contains("engine.io server listening")) || !server.isAlive(),
                    Duration.ofSeconds(60), "the jar's public listener");
            assertThat(output).as("the jar's output").filteredOn(l -> l.contains("event=transport_selected"))
                    .singleElement().asString().contains("transport=epoll").doesNotContain("reason=");
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar"));
        assertThat(jar).as("the shaded jar (built by package)").isRegularFile();
        return jar;
    }

    /** e_machine of a little-endian ELF shared object (offset 18, two bytes). */
    private static int elfMachine(ZipFile zip, String entry) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(entry))) {
            byte[] head = in.readNBytes(20);
            assertThat(head).as(entry + " is an ELF file").startsWith(0x7F, 'E', 'L', 'F');
            return (head[18] & 0xFF) | (head[19] & 0xFF) << 8;
        }
    }
}
