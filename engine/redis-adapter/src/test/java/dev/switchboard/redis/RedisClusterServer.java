package dev.switchboard.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.lettuce.core.cluster.SlotHash;

import dev.switchboard.testkit.Await;

/**
 * A real Redis Cluster on loopback: six redis-server processes (Debian's, scripts/setup-redis.sh) on free ports,
 * joined by {@code redis-cli --cluster create --cluster-replicas 1 --cluster-yes} into three masters with one
 * replica each; a 1 s node timeout so a killed master fails over within a few seconds (replica validity factor 0:
 * a replica always takes over, however long its link was down). Own temp folder, no
 * persistence; every process killed and the folder removed on close.
 */
public final class RedisClusterServer implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RedisClusterServer.class);
    static final int NODES = 6;
    private static final Duration READY = Duration.ofSeconds(30);

    private final Path dir;
    private final List<Integer> ports = new ArrayList<>();
    private final Map<Integer, Process> processes = new LinkedHashMap<>();

    private RedisClusterServer() throws IOException {
        dir = Files.createTempDirectory("sb-redis-cluster-");
    }

    public static RedisClusterServer start() {
        RedisClusterServer cluster = null;
        try {
            cluster = new RedisClusterServer();
            cluster.launch();
            return cluster;
        } catch (IOException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
    }

    private void launch() throws IOException {
        long started = System.nanoTime();
        for (int i = 0; i < NODES; i++) {
            int port = freeClusterPort();
            ports.add(port);
            Path nodeDir = Files.createDirectories(dir.resolve(Integer.toString(port)));
            Process p = new ProcessBuilder(List.of(binary("redis-server"), "--bind", "127.0.0.1",
                    "--port", Integer.toString(port), "--cluster-enabled", "yes",
                    "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0",
                    "--repl-diskless-sync-delay", "0", "--save", "", "--appendonly", "no",
                    "--dir", nodeDir.toString(), "--daemonize", "no", "--loglevel", "warning"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("redis.log").toFile()))
                    .start();
            processes.put(port, p);
        }
        for (int port : ports) {
            Await.until(() -> cli(port, "PING").startsWith("PONG"), Duration.ofSeconds(10), "redis-server on " + port);
        }
        List<String> create = new ArrayList<>(List.of(binary("redis-cli"), "--cluster", "create"));
        ports.forEach(port -> create.add("127.0.0.1:" + port));
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        String out = run(create, Duration.ofSeconds(30));
        if (!out.contains("All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + out);
        }
        Await.until(this::ready, READY, "cluster_state:ok on every node and every replica in sync");
        log.info("event=redis_cluster_ready ports={} startMs={}", ports, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Every live node says the cluster is ok, and every replica has synced with its master (a replica that never
     * synced would not take over when its master dies).
     */
    boolean ready() {
        for (int port : livePorts()) {
            if (!cli(port, "CLUSTER", "INFO").contains("cluster_state:ok")) {
                return false;
            }
            String replication = cli(port, "INFO", "replication");
            if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                return false;
            }
        }
        return true;
    }

    /** {@code redis://127.0.0.1:p1,127.0.0.1:p2,...}: every node, as REDIS_URL. */
    public String seedUrl() {
        return "redis://" + ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    List<Integer> livePorts() {
        return ports.stream().filter(p -> processes.get(p).isAlive()).toList();
    }

    /** Port of the live master serving this channel's (or key's) slot. */
    int masterOf(String channel) {
        int slot = SlotHash.getSlot(channel);
        for (int port : livePorts()) {
            for (String line : cli(port, "CLUSTER", "NODES").split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail") || !f[7].equals("connected")) {
                    continue;
                }
                for (int i = 8; i < f.length; i++) {
                    String[] range = f[i].split("-");
                    if (range[0].startsWith("[")) {
                        continue;
                    }
                    int from = Integer.parseInt(range[0]);
                    int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                    if (slot >= from && slot <= to) {
                        return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                    }
                }
            }
            break; // one live node's view is enough
        }
        throw new IllegalStateException("no master for slot " + slot);
    }

    /** Live masters' ports. */
    List<Integer> masters() {
        return livePorts().stream().filter(p -> cli(p, "ROLE").startsWith("master")).toList();
    }

    /** Sum over live nodes of an INFO stats counter (total_net_output_bytes, total_net_repl_output_bytes). */
    long statsSum(String field) {
        long sum = 0;
        for (int port : livePorts()) {
            sum += statsField(cli(port, "INFO", "stats"), field);
        }
        return sum;
    }

    static long statsField(String info, String field) {
        for (String line : info.split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    /** SIGKILL one node (a crash): its replica takes over after the node timeout. */
    void kill(int port) {
        Process p = processes.get(port);
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server " + port + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs redis-cli against one node; the output, or "" when it fails. */
    String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of(binary("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        try {
            return run(command, Duration.ofSeconds(5));
        } catch (IllegalStateException | UncheckedIOException e) {
            return "";
        }
    }

    private static String run(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeout);
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String binary(String name) {
        return Stream.of("/usr/bin/" + name, "/usr/local/bin/" + name)
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " not installed: run scripts/setup-redis.sh"));
    }

    /** A port whose cluster bus port (port + 10000) is free too, below the usual ephemeral range. */
    private int freeClusterPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (!ports.contains(port) && free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair for a cluster node");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String logs() {
        StringBuilder out = new StringBuilder();
        for (int port : ports) {
            try {
                out.append("--- ").append(port).append('\n')
                        .append(Files.readString(dir.resolve(port + "/redis.log")));
            } catch (IOException e) {
                out.append("(no log)\n");
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (Process p : processes.values()) {
            p.destroyForcibly();
        }
        for (Process p : processes.values()) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp folder
        }
    }
}
