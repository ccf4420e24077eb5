package dev.switchboard.app.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.app.Main;
import dev.switchboard.app.TestServers;
import dev.switchboard.testkit.Await;

/**
 * The real server (with an {@code /echo} namespace, {@link HeapTrimChild}) in a child JVM started with the given
 * JVM options and variables, so that a test can set the heap and direct memory limits the server runs under.
 * Every line the child prints is kept; waits fail with them.
 */
final class ChildServer implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Process child;
    private final Writer stdin;
    private final int wsPort;
    private final int apiPort;

    private ChildServer(List<String> jvmOptions, Map<String, String> variables) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dlogback.configurationFile=" + Main.class.getResource("/logback.xml"));
        command.addAll(List.of("-cp", classPath, HeapTrimChild.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD") || k.endsWith("_PORT")
                || k.endsWith("HOST") || k.startsWith("HEAP_TRIM") || k.startsWith("MEMORY_"));
        Map<String, String> env = new HashMap<>(Map.of("HOST", "127.0.0.1", "WS_PORT", "0", "API_HOST", "127.0.0.1",
                "API_PORT", "0", "EMIT_TOKEN", TestServers.EMIT_TOKEN, "HANDSHAKE_RATE_PER_IP", "0"));
        env.putAll(variables);
        builder.environment().putAll(env);
        child = builder.start();
        stdin = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(child output unreadable: " + e + ")");
            }
        }, "child-server-output");
        reader.setDaemon(true);
        reader.start();
        String ready = await("child ready");
        Matcher m = Pattern.compile("wsPort=(\\d+) apiPort=(\\d+)").matcher(ready);
        assertThat(m.find()).as(ready).isTrue();
        wsPort = Integer.parseInt(m.group(1));
        apiPort = Integer.parseInt(m.group(2));
    }

    static ChildServer start(List<String> jvmOptions, Map<String, String> variables) throws IOException {
        return new ChildServer(jvmOptions, variables);
    }

    int wsPort() {
        return wsPort;
    }

    int apiPort() {
        return apiPort;
    }

    boolean isAlive() {
        return child.isAlive();
    }

    List<String> lines() {
        return lines;
    }

    /** Writes a command line and waits for one more line containing {@code answer}. */
    void command(String line, String answer) throws IOException {
        long seen = count(answer);
        stdin.write(line + "\n");
        stdin.flush();
        withOutput(() -> Await.until(() -> count(answer) > seen, WAIT, answer));
    }

    /** The first line containing {@code fragment}, waited for; fails at once when the child exited. */
    String await(String fragment) {
        return awaitFirst(List.of(fragment));
    }

    /** The first line containing any of {@code fragments}, waited for; fails at once when the child exited. */
    String awaitFirst(List<String> fragments) {
        String[] found = new String[1];
        withOutput(() -> found[0] = Await.value(() -> {
            if (!child.isAlive()) {
                throw new AssertionError("child exited " + child.exitValue() + ":\n" + String.join("\n", lines));
            }
            return lines.stream().filter(line -> fragments.stream().anyMatch(line::contains)).findFirst().orElse(null);
        }, WAIT, "a line with one of " + fragments));
        return found[0];
    }

    /** A number from the last line matching {@code regex} (its first group). */
    long lastNumber(String regex) {
        Pattern pattern = Pattern.compile(regex);
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = pattern.matcher(lines.get(i));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no line matches " + regex);
    }

    long count(String fragment) {
        return lines.stream().filter(line -> line.contains(fragment)).count();
    }

    /** A wait that fails with the child's output so far. */
    void withOutput(Runnable wait) {
        try {
            wait.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; child output:\n" + String.join("\n", lines), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        child.destroyForcibly().waitFor();
    }
}
