package dev.switchboard.app.compat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.DriverJson;

/**
 * A child process speaking JSON lines (test-support/python/sio_client.py, test-support/node/browser-driver.mjs):
 * commands {@code {"cmd": n, "op": ...}} on stdin; {@code ready}, {@code reply} and {@code event} lines on stdout;
 * stderr goes to the log. Every wait has a deadline; {@link #close} closes stdin, then kills after 5 s.
 */
final class JsonLineProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonLineProcess.class);

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final AtomicLong nextCmd = new AtomicLong();

    private JsonLineProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        daemon(name + "-stdout", this::readStdout).start();
        daemon(name + "-stderr", this::readStderr).start();
        process.onExit().thenRun(() -> {
            IllegalStateException gone = new IllegalStateException(name + " exited with code " + process.exitValue());
            ready.completeExceptionally(gone);
            pending.values().forEach(f -> f.completeExceptionally(gone));
        });
    }

    /** Starts {@code command} in {@code dir} and waits for its {@code ready} line. */
    static JsonLineProcess start(String name, List<String> command, Path dir, Duration readyTimeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " " + command + ": " + e, e);
        }
        JsonLineProcess child = new JsonLineProcess(name, process);
        try {
            JsonNode hello = child.ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("compat client ready name={} hello={}", name, hello);
            return child;
        } catch (Exception e) {
            child.close();
            throw new IllegalStateException(name + " did not say ready within " + readyTimeout.toMillis() + " ms: " + e, e);
        }
    }

    JsonNode hello() {
        return ready.join();
    }

    ObjectNode command(String op) {
        return DriverJson.mapper().createObjectNode().put("op", op);
    }

    /** Sends a command and returns its reply; a reply with {@code ok: false} fails the test with its error. */
    JsonNode request(ObjectNode command, Duration timeout) {
        long cmd = nextCmd.incrementAndGet();
        command.put("cmd", cmd);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(cmd, reply);
        try {
            synchronized (stdin) {
                stdin.write(command + "\n");
                stdin.flush();
            }
            JsonNode node = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!node.path("ok").asBoolean(false)) {
                throw new AssertionError(name + " refused " + command + ": " + node.path("error").asText());
            }
            return node;
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(name + ": no reply to " + command + " within " + timeout.toMillis() + " ms: " + e, e);
        } finally {
            pending.remove(cmd);
        }
    }

    /** Forgets the events recorded so far (a process serving several connections in turn). */
    void clearEvents() {
        synchronized (events) {
            events.clear();
        }
    }

    /** The first recorded event line matching {@code match}. */
    JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout, String what) {
        return Await.value(() -> {
            synchronized (events) {
                return events.stream().filter(match).findFirst().orElse(null);
            }
        }, timeout, name + " " + what);
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                JsonNode node;
                try {
                    node = DriverJson.mapper().readTree(line);
                } catch (IOException e) {
                    log.warn("compat client printed a non-JSON line name={} line={}", name, line);
                    continue;
                }
                switch (node.path("type").asText()) {
                    case "ready" -> ready.complete(node);
                    case "event" -> {
                        synchronized (events) {
                            events.add(node);
                        }
                    }
                    case "reply" -> {
                        CompletableFuture<JsonNode> reply = pending.get(node.path("cmd").asLong(-1));
                        if (reply != null) {
                            reply.complete(node);
                        } else {
                            log.warn("compat client reply to no command name={} line={}", name, line);
                        }
                    }
                    default -> log.warn("compat client unknown line name={} line={}", name, line);
                }
            }
        } catch (IOException e) {
            log.debug("compat client stdout closed name={} error={}", name, e.toString());
        }
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                log.info("compat client stderr name={} line={}", name, line);
            }
        } catch (IOException e) {
            log.debug("compat client stderr closed name={} error={}", name, e.toString());
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            log.debug("compat client stdin already closed name={}", name);
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
