package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

import dev.switchboard.app.config.SwitchboardConfig;

/** The command line in-process: output, exit codes, masked secrets, typo warnings, the bcrypt hash. */
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(Map<String, String> environment, String stdin, String... args) {
        Cli cli = new Cli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return cli.execute(args, environment);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArgumentOrServeStartsTheServerEverythingElseIsACommand() {
        assertThat(Cli.command(new String[0])).isEqualTo(Cli.Command.SERVE);
        assertThat(Cli.command(new String[] {"serve"})).isEqualTo(Cli.Command.SERVE);
        assertThat(Cli.command(new String[] {"--help"})).isEqualTo(Cli.Command.HELP);
        assertThat(Cli.command(new String[] {"--port=3007"})).isEqualTo(Cli.Command.UNKNOWN);
        assertThat(Cli.command(new String[] {"check-config", "extra"})).isEqualTo(Cli.Command.UNKNOWN);
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        assertThat(run(Map.of(), "", "--help")).isZero();
        assertThat(out()).startsWith("Usage: java -jar switchboard.jar [command]")
                .contains("check-config", "hash-password", "--version", "Exit codes");
        assertThat(err()).isEmpty();
        out.reset();
        assertThat(run(Map.of(), "", "-h")).isZero();
        assertThat(out()).isEqualTo(Cli.USAGE);
    }

    @Test
    void versionPrintsTheBuildVersion() {
        assertThat(run(Map.of(), "", "--version")).isZero();
        assertThat(out()).isEqualTo("switchboard " + Version.current() + System.lineSeparator());
    }

    @Test
    void anUnknownArgumentExitsTwoWithTheUsageOnStderr() {
        assertThat(run(Map.of(), "", "--port=3007")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err()).startsWith("error: unknown arguments: --port=3007").contains(Cli.USAGE);
        assertThat(out()).isEmpty();
    }

    @Test
    void checkConfigPrintsEveryVariableWithItsEffectiveValueAndExitsZero() {
        assertThat(run(Map.of("WS_PORT", "4000", "CORS_ORIGINS", "https://app.example.com"), "", "check-config")).isZero();
        List<String> lines = out().lines().toList();
        assertThat(lines).contains("WS_PORT=4000", "API_PORT=3008", "CORS_ORIGINS=https://app.example.com",
                "SHUTDOWN_GRACE_MS=10000", "ADMIN_UI=off", "SWITCHBOARD_CONFIG=");
        assertThat(lines).last().asString().startsWith("# in effect: host=0.0.0.0 wsPort=4000");
        assertThat(err()).isEmpty();
    }

    @Test
    void checkConfigMasksEverySecret() {
        String hash = BCrypt.hashpw("pw", BCrypt.gensalt(4));
        Map<String, String> env = new HashMap<>();
        env.put("API_HOST", "0.0.0.0");
        env.put("API_PORT", "3009");
        env.put("EMIT_TOKEN", "emit-secret-0123456789");
        env.put("AUTH_TOKENS", "auth-secret-0123456789@/mcp");
        env.put("JWT_SECRET", "jwt-secret-0123456789-0123456789-abc");
        env.put("ADMIN_UI", "on");
        env.put("ADMIN_UI_PASSWORD_HASH", hash);
        env.put("WS_SESSION_SECRET", "session-secret-0123456789-0123456789");
        env.put("MCP_FORWARD_URL", "https://hook:hook-secret@127.0.0.1/hook");
        env.put("MCP_FORWARD_TOKEN", "mcp-secret-token");
        env.put("PG_URL", "postgresql://app:pg-secret@127.0.0.1:5432/app?sslmode=disable&password=pg-secret2");
        env.put("PG_BRIDGE", "jobs:/mcp:room:event");
        env.put("REDIS_URL", "redis://default:redis-secret@127.0.0.1:6379");
        assertThat(run(env, "", "check-config")).as(err()).isZero();
        for (String secret : List.of("emit-secret", "auth-secret", "jwt-secret", hash, "session-secret", "hook-secret",
                "mcp-secret", "pg-secret", "redis-secret")) {
            assertThat(out()).as("output holds no %s", secret).doesNotContain(secret);
        }
        assertThat(out().lines()).contains("EMIT_TOKEN=********", "ADMIN_UI_PASSWORD_HASH=********",
                "PG_URL=postgresql://app:********@127.0.0.1:5432/app?sslmode=disable&password=********",
                "REDIS_URL=redis://default:********@127.0.0.1:6379",
                "MCP_FORWARD_URL=https://hook:********@127.0.0.1/hook", "API_HOST=0.0.0.0");

        out.reset();
        assertThat(run(Map.of("REDIS_URL", "redis://redis-secret@127.0.0.1:6379"), "", "check-config")).isZero();
        assertThat(out()).contains("REDIS_URL=redis://********@127.0.0.1:6379").doesNotContain("redis-secret");
    }

    @Test
    void checkConfigOfABadConfigurationExitsTwoNamingTheVariable() {
        assertThat(run(Map.of("MAX_SESSIONS", "lots"), "", "check-config")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err()).contains("error: invalid configuration variable=MAX_SESSIONS").contains("lots");
        assertThat(out()).isEmpty();
    }

    @Test
    void checkConfigWarnsOfUnknownNamesInTheEnvironmentAndTheFile() throws Exception {
        Path file = dir.resolve("switchboard.properties");
        Files.writeString(file, "WS_PORT=4001\nSHUTDOWN_GRACE=5000\n");
        Map<String, String> env = Map.of("CORS_ORIGIN", "https://app.example.com", "SWITCHBOARD_CONFIG", file.toString(),
                "HOME", "/root", "PATH", "/usr/bin");
        assertThat(run(env, "", "check-config")).isZero();
        assertThat(err().lines()).containsExactly(
                "warning: unknown variable name=CORS_ORIGIN nearest=CORS_ORIGINS source=environment",
                "warning: unknown variable name=SHUTDOWN_GRACE nearest=SHUTDOWN_GRACE_MS source=file");
        assertThat(out()).contains("WS_PORT=4001", "SWITCHBOARD_CONFIG=" + file);
    }

    @Test
    void hashPasswordPrintsABcryptHashTheAdminUiAccepts() {
        assertThat(run(Map.of(), "correct horse\n", "hash-password")).isZero();
        String hash = out().strip();
        assertThat(BCrypt.checkpw("correct horse", hash)).isTrue();
        assertThat(err()).isEmpty();
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(Map.of("ADMIN_UI", "on", "ADMIN_UI_PASSWORD_HASH", hash));
        assertThat(config.adminUi()).isNotNull();
    }

    @Test
    void hashPasswordRefusesAnEmptyOrOverlongPassword() {
        assertThat(run(Map.of(), "", "hash-password")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err()).contains("error: no password on stdin");
        assertThat(out()).isEmpty();
        err.reset();
        assertThat(run(Map.of(), "\n", "hash-password")).isEqualTo(Cli.EXIT_USAGE);
        err.reset();
        assertThat(run(Map.of(), "x".repeat(73), "hash-password")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err()).contains("longer than 72 bytes");
        assertThat(out()).isEmpty();
    }
}
