package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code node} child process running a script of {@code test-support/node}: stdout lines go to a consumer
 * (or are kept for {@link #awaitJsonLine}), stderr lines go to the test log, and the process is killed on
 * {@link #close()} or, at the latest, when the JVM exits. Closing our end of its stdin also tells the
 * kit's scripts to exit.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeProcess.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SETUP_HINT = "run scripts/setup-node.sh";

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final Thread shutdownHook;
    private final List<String> keptLines = new ArrayList<>();
    private final Object linesLock = new Object();
    private volatile boolean stdoutClosed;

    private NodeProcess(String name, Process process, Consumer<String> stdoutConsumer) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.shutdownHook = new Thread(process::destroyForcibly, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Consumer<String> onLine = stdoutConsumer != null ? stdoutConsumer : this::keep;
        daemon("stdout-" + name, () -> pump(process.getInputStream(), onLine, true)).start();
        daemon("stderr-" + name, () -> pump(process.getErrorStream(), line -> log.info("node {}: {}", name, line), false)).start();
    }

    /** Starts {@code node <script> <args...>} in {@code test-support/node}; keeps stdout lines for awaitJsonLine. */
    public static NodeProcess start(String script, String... args) {
        return start(RepoPaths.nodeDir(), script, List.of(args), Map.of(), null);
    }

    /**
     * Starts {@code node <script> <args...>} with working directory {@code nodeDir}.
     *
     * @param stdoutConsumer receives every stdout line (on a reader thread); null keeps them for awaitJsonLine
     */
    public static NodeProcess start(Path nodeDir, String script, List<String> args, Map<String, String> env,
                                    Consumer<String> stdoutConsumer) {
        requireInstalled(nodeDir);
        Path scriptPath = nodeDir.resolve(script);
        if (!Files.isRegularFile(scriptPath)) {
            throw new IllegalStateException("no script " + scriptPath);
        }
        List<String> command = new ArrayList<>();
        command.add(nodeBinary());
        command.add(scriptPath.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(nodeDir.toFile());
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            log.debug("node started script={} pid={}", script, process.pid());
            return new NodeProcess(script + "#" + process.pid(), process, stdoutConsumer);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start '" + nodeBinary() + "' (is Node.js installed and on PATH? "
                    + "set SB_NODE to its path otherwise): " + e.getMessage(), e);
        }
    }

    /** Fails fast with the setup hint when the npm packages are not installed. */
    public static void requireInstalled(Path nodeDir) {
        Path marker = nodeDir.resolve("node_modules/socket.io-client/package.json");
        if (!Files.isRegularFile(marker)) {
            throw new IllegalStateException("npm packages for the tests are missing (" + nodeDir.resolve("node_modules")
                    + " has no socket.io-client): " + SETUP_HINT);
        }
    }

    static String nodeBinary() {
        String override = System.getenv("SB_NODE");
        return override == null || override.isBlank() ? "node" : override;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Exit code, or -1 while running. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    public void writeLine(String line) {
        synchronized (stdin) {
            try {
                stdin.write(line);
                stdin.write('\n');
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("node " + name + " does not take input (exited with "
                        + exitCode() + "?)", e);
            }
        }
    }

    /**
     * Waits for a stdout line that is JSON and matches {@code predicate} (only when started without a
     * stdout consumer). Lines already received count.
     */
    public JsonNode awaitJsonLine(Predicate<JsonNode> predicate, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (linesLock) {
            while (true) {
                for (; seen < keptLines.size(); seen++) {
                    JsonNode node = parseOrNull(keptLines.get(seen));
                    if (node != null && predicate.test(node)) {
                        return node;
                    }
                }
                if (stdoutClosed) {
                    throw new AssertionError("node " + name + " exited (code " + waitExit() + ") before " + what
                            + "; stdout was: " + keptLines);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                            + " from node " + name + "; stdout was: " + keptLines);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(linesLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what, e);
                }
            }
        }
    }

    public List<String> stdoutLines() {
        synchronized (linesLock) {
            return List.copyOf(keptLines);
        }
    }

    /** Closes stdin (the kit's scripts exit on it), waits up to 2 s, then kills. */
    @Override
    public void close() {
        try {
            synchronized (stdin) {
                stdin.close();
            }
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // JVM already shutting down: the hook runs anyway
        }
    }

    private int waitExit() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void keep(String line) {
        synchronized (linesLock) {
            keptLines.add(line);
            linesLock.notifyAll();
        }
    }

    private void pump(InputStream in, Consumer<String> onLine, boolean isStdout) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                try {
                    onLine.accept(line);
                } catch (RuntimeException e) {
                    log.warn("node {} line handler failed line={}", name, line, e);
                }
            }
        } catch (IOException e) {
            log.debug("node {} stream closed: {}", name, e.getMessage());
        } finally {
            if (isStdout) {
                synchronized (linesLock) {
                    stdoutClosed = true;
                    linesLock.notifyAll();
                }
                if (onLine instanceof EndAware endAware) {
                    endAware.onEnd(waitExit());
                }
            }
        }
    }

    private static JsonNode parseOrNull(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** A stdout consumer that also wants to know when the process's stdout ended (it exited). */
    public interface EndAware extends Consumer<String> {
        void onEnd(int exitCode);
    }
}
