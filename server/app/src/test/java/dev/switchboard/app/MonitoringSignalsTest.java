package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.redis.RedisServer;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.Cleanup;
import dev.switchboard.testkit.FreePort;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.RepoPaths;

/**
 * The signals an operator watches, on a live server with every backend configured: a real dockerd, a real PM2
 * daemon (temporary PM2_HOME) and a real Redis are up, PostgreSQL points at a closed loopback port and is down.
 * build_info, the broadcast and handshake histograms, backend up/down gauges; and every metric the shipped Grafana
 * dashboard and Prometheus alert rules query is present in this server's /metrics.
 */
class MonitoringSignalsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");
    /** Series Prometheus makes itself for every target, never in /metrics. */
    private static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

    private static Path pm2Home;
    private static Path pm2;
    private static RedisServer redis;
    private static SwitchboardServer server;
    private static NodeClientDriver driver;

    @BeforeAll
    static void start() throws Exception {
        pm2 = RepoPaths.repoRoot().resolve("test-support/node/node_modules/.bin/pm2");
        assumeTrue(Files.isExecutable(pm2), "pm2 is not installed at " + pm2 + ": run scripts/setup-pm2.sh");
        pm2Home = Files.createTempDirectory("sb-signals-pm2-");
        pm2("ping"); // starts the daemon in this home
        redis = RedisServer.start();
        Map<String, String> env = new HashMap<>();
        env.put("PM2_HOME", pm2Home.toString());
        env.put("FILES_ROOTS", pm2Home.toString());
        env.put("REDIS_URL", redis.url());
        env.put("PG_URL", "postgresql://u:p@127.0.0.1:" + FreePort.find() + "/db"); // nothing listens there
        env.put("PG_BRIDGE", "jobs:/mcp:jobs:job");
        server = TestServers.startWithRegistry(env);
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() throws Exception {
        Cleanup.closeAll(driver, server, redis);
        if (pm2Home != null) {
            pm2("kill");
            try (Stream<Path> files = Files.walk(pm2Home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void backendGaugesSayWhichBackendsAnswer() {
        Await.until(() -> {
            Map<String, Double> s = scrape();
            return s.get(up("docker")) == 1 && s.get(up("pm2")) == 1 && s.get(up("redis")) == 1;
        }, WAIT, "docker, pm2 and redis up: " + backendSamples());
        assertThat(scrape().get(up("postgres"))).as("nothing listens on PG_URL").isZero();
        assertThat(backendSamples()).as("one gauge per configured backend").hasSize(4);
    }

    @Test
    void buildInfoNamesVersionAndJava() {
        Map<String, Double> samples = scrape();
        String key = samples.keySet().stream().filter(k -> k.startsWith("switchboard_build_info{")).findFirst()
                .orElseThrow(() -> new AssertionError("no switchboard_build_info in /metrics"));
        assertThat(key).contains("version=\"" + Version.current() + "\"")
                .contains("java=\"" + Runtime.version() + "\"").contains("commit=\"");
        assertThat(samples.get(key)).isEqualTo(1.0);
    }

    @Test
    void aBroadcastAndAHandshakeAreMeasuredOnceEach() {
        Map<String, Double> before = scrape();
        NodeSocket a = driver.connect(TestServers.url(server), "/mcp", ClientOptions.defaults());
        NodeSocket b = driver.connect(TestServers.url(server), "/mcp", ClientOptions.defaults());
        for (NodeSocket socket : List.of(a, b)) {
            socket.awaitConnect(WAIT);
            socket.awaitEvent("connected", WAIT);
        }
        String text = "x".repeat(2000);
        assertThat(Http.emit(server, "{\"namespace\":\"/mcp\",\"event\":\"note\",\"data\":{\"text\":\"" + text + "\"}}"))
                .isEqualTo(2);
        a.awaitEvent("note", WAIT);
        b.awaitEvent("note", WAIT);

        Map<String, Double> after = scrape();
        assertThat(delta(before, after, "switchboard_handshake_duration_seconds_count")).isEqualTo(2);
        // two recipients, one broadcast: measured once, its size once (encoded once)
        assertThat(delta(before, after, "switchboard_broadcast_latency_seconds_count")).isEqualTo(1);
        assertThat(delta(before, after, "switchboard_broadcast_size_bytes_count")).isEqualTo(1);
        assertThat(delta(before, after, "switchboard_broadcast_size_bytes_sum")).isBetween(2000.0, 2100.0);
        assertThat(delta(before, after, "switchboard_broadcast_size_bytes_bucket{le=\"4096.0\"}")).isEqualTo(1);
        assertThat(delta(before, after, "switchboard_broadcast_size_bytes_bucket{le=\"1024.0\"}")).isZero();
        assertThat(delta(before, after, "switchboard_broadcast_latency_seconds_bucket{le=\"+Inf\"}")).isEqualTo(1);
        assertThat(after.keySet().stream().filter(k -> k.startsWith("switchboard_broadcast_latency_seconds_bucket{")))
                .as("a small fixed set of buckets").hasSize(10);
    }

    @Test
    void everyMetricTheDashboardAndTheAlertRulesQueryIsInALiveMetricsPage() throws Exception {
        Path monitoring = RepoPaths.repoRoot().resolve("ecosystem/monitoring");
        List<String> expressions = new ArrayList<>(dashboardQueries(monitoring.resolve("grafana/switchboard-dashboard.json")));
        List<String> rules = ruleExpressions(monitoring.resolve("prometheus/switchboard-alerts.yml"));
        assertThat(rules).as("alert rules").hasSizeGreaterThanOrEqualTo(5);
        expressions.addAll(rules);

        Set<String> queried = new TreeSet<>();
        expressions.forEach(e -> queried.addAll(metricNames(e)));
        assertThat(queried).as("metrics the files query").contains("switchboard_backend_up",
                "switchboard_broadcast_latency_seconds_bucket", "switchboard_broadcast_size_bytes_bucket",
                "switchboard_handshake_duration_seconds_bucket", "switchboard_build_info");

        refuseOneRequest(); // switchboard_refusals_total appears with the first refusal
        Set<String> exposed = new TreeSet<>();
        scrape().keySet().forEach(k -> exposed.add(k.contains("{") ? k.substring(0, k.indexOf('{')) : k));
        queried.removeAll(MADE_BY_PROMETHEUS);
        assertThat(exposed).as("/metrics of a live server").containsAll(queried);
    }

    // ---- the files ----

    private static List<String> dashboardQueries(Path file) throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
        assertThat(dashboard.path("panels").size()).as("dashboard panels").isGreaterThanOrEqualTo(10);
        List<String> queries = new ArrayList<>();
        collect(dashboard, queries);
        return queries;
    }

    /** Every panel target's {@code expr} and every template variable's {@code label_values(metric, label)}. */
    private static void collect(JsonNode node, List<String> queries) {
        node.fields().forEachRemaining(field -> {
            if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                queries.add(field.getValue().asText());
            } else if (field.getKey().equals("definition") && field.getValue().isTextual()) {
                Matcher m = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(field.getValue().asText());
                while (m.find()) {
                    queries.add(m.group(1));
                }
            } else {
                collect(field.getValue(), queries);
            }
        });
        if (node.isArray()) {
            node.forEach(child -> collect(child, queries));
        }
    }

    private static List<String> ruleExpressions(Path file) throws Exception {
        List<String> expressions = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = Pattern.compile("^\\s*expr:\\s*(.*)$").matcher(line);
            if (m.matches()) {
                String expr = m.group(1).trim();
                assertThat(expr).as("an expr on one line (block scalars are not read here)").isNotEmpty()
                        .doesNotStartWith("|").doesNotStartWith(">");
                expressions.add(expr);
            }
        }
        return expressions;
    }

    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or variables. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // string literals
                .replaceAll("\\{[^}]*\\}", " ") // label matchers
                .replaceAll("\\[[^]]*\\]", " ") // range selectors
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ") // label lists
                .replaceAll("\\$\\{?[a-zA-Z_]+\\}?", " "); // dashboard variables
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![a-zA-Z0-9_:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void metricNamesSkipFunctionsLabelsAndKeywords() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (instance, le) (rate(a_bucket{x=\"y\"}[5m]))) > 0.1"))
                .containsExactly("a_bucket");
        assertThat(metricNames("sum by (instance) (b{area=\"heap\"}) / sum by (instance) (c) > 0.9 and on(instance) up"))
                .containsExactly("b", "c", "up");
        assertThat(metricNames("sum(rate(d_total{instance=~\"$instance\"}[$__rate_interval]))")).containsExactly("d_total");
    }

    // ---- /metrics ----

    private static String up(String backend) {
        return "switchboard_backend_up{backend=\"" + backend + "\"}";
    }

    private static Map<String, Double> backendSamples() {
        Map<String, Double> backends = new HashMap<>();
        scrape().forEach((k, v) -> {
            if (k.startsWith("switchboard_backend_up{")) {
                backends.put(k, v);
            }
        });
        return backends;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
        assertThat(after).as("/metrics has %s", key).containsKey(key);
        return after.get(key) - before.getOrDefault(key, 0.0);
    }

    private static Map<String, Double> scrape() {
        Http.Reply reply = Http.get(server.apiPort(), "/metrics");
        assertThat(reply.status()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        for (String line : reply.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("Prometheus sample line: %s", line).isTrue();
            String value = m.group(3);
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)),
                    value.equals("+Inf") ? Double.POSITIVE_INFINITY : value.equals("-Inf") ? Double.NEGATIVE_INFINITY
                            : value.equals("NaN") ? Double.NaN : Double.parseDouble(value));
        }
        return samples;
    }

    private static void refuseOneRequest() throws Exception {
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.apiPort() + "/emit"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer wrong-token-0123456789")
                .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\":\"/mcp\",\"event\":\"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    private static void pm2(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(pm2.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PM2_HOME", pm2Home.toString());
        builder.environment().put("PM2_DISABLE_VERSION_CHECK", "true");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("pm2 %s finished", args[0]).isTrue();
        assertThat(process.exitValue()).as("pm2 %s: %s", args[0], new String(output, StandardCharsets.UTF_8)).isZero();
    }
}
