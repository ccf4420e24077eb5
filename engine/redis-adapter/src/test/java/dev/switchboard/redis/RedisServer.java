package dev.switchboard.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.FreePort;

/**
 * A real redis-server (Debian's, installed by scripts/setup-redis.sh) on a free loopback port, without
 * persistence, in its own temporary folder; stopped (killed, like a crash) and restarted on the same port on
 * demand; removed on close.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;
    private RedisClient inspector;
    private StatefulRedisConnection<String, String> inspection;

    private RedisServer() throws IOException {
        this.port = FreePort.find();
        this.dir = Files.createTempDirectory("sb-redis-");
    }

    public static RedisServer start() {
        try {
            RedisServer server = new RedisServer();
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    private void launch() throws IOException {
        String binary = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException("redis-server not installed: run scripts/setup-redis.sh"));
        process = new ProcessBuilder(List.of(binary, "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--loglevel", "warning"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        Await.until(this::answersPing, Duration.ofSeconds(10), "redis-server answering PING on port " + port);
    }

    private boolean answersPing() {
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server exited: " + log());
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills redis-server (SIGKILL: a crash, every connection drops). */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts redis-server again on the same port (empty: no persistence). */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plain client for looking at keys and publishing, like an operator or a backend would. */
    synchronized RedisCommands<String, String> commands() {
        if (inspector == null) {
            inspector = RedisClient.create(url());
            inspection = inspector.connect();
        }
        return inspection.sync();
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        if (inspector != null) {
            inspection.close();
            inspector.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (process != null && process.isAlive()) {
            kill();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp folder
        }
    }
}
