package dev.switchboard.channels;

import dev.switchboard.testkit.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster for tests: initdb in a temp folder, a free loopback port, trust auth, run as the
 * unprivileged {@code postgres} user when the tests run as root (the server refuses root). Binaries come from
 * scripts/setup-postgres.sh.
 */
final class PostgresCluster implements AutoCloseable {
    private static final String HINT = "run scripts/setup-postgres.sh";
    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;

    private PostgresCluster(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    static PostgresCluster start() {
        Path bin = binDir();
        try {
            Path dir = Files.createTempDirectory("sb-pg-");
            PostgresCluster cluster = new PostgresCluster(bin, dir, FreePort.find());
            if (isRoot()) run(List.of("chown", "postgres:postgres", dir.toString()), 10);
            cluster.asOwner(List.of(bin.resolve("initdb").toString(), "-D", cluster.data.toString(), "-A", "trust",
                    "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"), 120);
            cluster.startServer();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void startServer() {
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), 90);
    }

    void stopServer() {
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"), 90);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    int port() {
        return port;
    }

    /** Runs one SQL command with psql (as a client over TCP, like a backend would). */
    void psql(String sql) {
        run(List.of("psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-q", "-c", sql), 30);
    }

    @Override
    public void close() {
        try {
            stopServer();
        } catch (RuntimeException e) {
            // already stopped
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp folder: best effort
        }
    }

    private void asOwner(List<String> command, int timeoutSeconds) {
        List<String> full = new ArrayList<>();
        if (isRoot()) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        run(full, timeoutSeconds);
    }

    private static String run(List<String> command, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + command + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + " (" + HINT + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binDir() {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries in " + base + ": " + HINT));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL server binaries in " + base + ": " + HINT, e);
        }
    }
}
