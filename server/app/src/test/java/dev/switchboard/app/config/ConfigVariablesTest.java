package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.switchboard.testkit.RepoPaths;

/**
 * The one list of variables ({@link ConfigVariables}, collected from the parse) against everything that lists them
 * for operators: the README's configuration table, env.example, the systemd example and the PM2 pass-through. A
 * variable added to the code (or merged from another branch) and missing from a file fails here, by name.
 */
class ConfigVariablesTest {
    private static final Path ROOT = RepoPaths.repoRoot();
    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^#?\\s*([A-Z][A-Z0-9_]*)=");

    @Test
    void everyReadIsMadeWhateverTheOtherVariablesSay() {
        // each configuration turns on a branch; a variable read only there would be missing from the list
        List<Map<String, String>> configurations = List.of(
                Map.of("ADMIN_UI", "on", "ADMIN_UI_PASSWORD_HASH", "$2a$10$" + "a".repeat(53)),
                Map.of("ADMIN_UI", "on", "ADMIN_UI_NO_AUTH", "true"),
                Map.of("JWT_SECRET", "x".repeat(32), "JWT_ISSUER", "i", "JWT_AUDIENCE", "a", "JWT_REQUIRE_EXP", "true"),
                Map.of("PG_URL", "postgresql://u:p@127.0.0.1/db", "PG_BRIDGE", "jobs:/mcp:room:event"),
                Map.of("REDIS_URL", "redis://127.0.0.1:6379", "RECOVERY_MAX_DISCONNECTION_MS", "1000",
                        "MCP_FORWARD_URL", "http://127.0.0.1:9/hook", "SWITCHBOARD_ENV", "production",
                        "CORS_ORIGINS", "https://a.example", "WS_SESSION_SECRET", "s".repeat(32),
                        "FILES_ROOTS", "/tmp", "ROOM_PATTERNS", "*", "NAMESPACES", "/system"));
        for (Map<String, String> environment : configurations) {
            ConfigParser p = new ConfigParser(ConfigSource.of(environment));
            SwitchboardConfig.parse(p);
            assertThat(ConfigVariables.names()).as("variables read under %s", environment)
                    .containsAll(p.effectiveValues().keySet());
        }
    }

    @Test
    void theReadmeTableListsEveryVariableAndNoOther() throws IOException {
        assertListsExactly("README.md configuration table", readmeTableNames());
    }

    @Test
    void envExampleListsEveryVariableAndNoOther() throws IOException {
        assertListsExactly("env.example", assignedNames(ROOT.resolve("env.example")));
    }

    @Test
    void theSystemdExampleListsEveryVariable() throws IOException {
        Set<String> names = assignedNames(ROOT.resolve("ecosystem/systemd/switchboard.env.example"));
        names.remove("JAVA_OPTS"); // the unit's, not the server's
        assertListsExactly("ecosystem/systemd/switchboard.env.example", names);
    }

    @Test
    void thePm2FilePassesEveryVariableThrough() throws IOException {
        String file = Files.readString(ROOT.resolve("ecosystem/pm2/ecosystem.config.js"), StandardCharsets.UTF_8);
        Matcher list = Pattern.compile("(?s)const SERVER_VARIABLES = \\[(.*?)];").matcher(file);
        assertThat(list.find()).as("SERVER_VARIABLES = [...] in ecosystem.config.js").isTrue();
        Set<String> names = new LinkedHashSet<>();
        Matcher quoted = Pattern.compile("\"([A-Z][A-Z0-9_]*)\"").matcher(list.group(1));
        while (quoted.find()) {
            names.add(quoted.group(1));
        }
        names.removeAll(ConfigVariables.FOREIGN); // docker-java's, passed on too
        assertListsExactly("SERVER_VARIABLES in ecosystem/pm2/ecosystem.config.js", names);
    }

    private static void assertListsExactly(String where, Set<String> listed) {
        List<String> missing = new ArrayList<>(ConfigVariables.names());
        missing.removeAll(listed);
        List<String> unknown = new ArrayList<>(listed);
        unknown.removeAll(ConfigVariables.names());
        assertThat(missing).as("variables missing from " + where).isEmpty();
        assertThat(unknown).as("names in " + where + " that the server does not read").isEmpty();
    }

    /** The backticked names in the first column of the table under "## Configuration". */
    private static Set<String> readmeTableNames() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Configuration");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("## Configuration in README.md").isPositive();
        Set<String> names = new LinkedHashSet<>();
        for (String line : readme.substring(start, end).split("\n")) {
            if (line.startsWith("| `")) {
                Matcher name = Pattern.compile("`([A-Z][A-Z0-9_]*)`").matcher(line.split("(?<!\\\\)\\|")[1]);
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }

    /** Names assigned on a line of an env file, commented out (#NAME=) or not. */
    private static Set<String> assignedNames(Path file) throws IOException {
        Matcher m = ASSIGNMENT.matcher(Files.readString(file, StandardCharsets.UTF_8));
        Set<String> names = new LinkedHashSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
