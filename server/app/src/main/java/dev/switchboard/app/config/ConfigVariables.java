package dev.switchboard.app.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one list of the server's variables: {@code SWITCHBOARD_CONFIG} (read by {@link ConfigSource}) and every name
 * {@link SwitchboardConfig} reads when it parses the defaults. The parse reads every variable whatever the others
 * say, so this list cannot drift from the code; README, env.example, the systemd example and the PM2 file are
 * checked against it by a test.
 */
public final class ConfigVariables {
    private static final List<String> NAMES = collect();

    /**
     * Variables of other programs this process honours or is started with: docker-java reads the Docker ones, the
     * launchers (PM2 file, systemd unit) read the others. Set in the environment, they are not typos.
     */
    static final Set<String> FOREIGN = Set.of("DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CONFIG", "DOCKER_CERT_PATH",
            "API_VERSION", "SWITCHBOARD_JAR", "SWITCHBOARD_LOGS", "SWITCHBOARD_NAME", "SWITCHBOARD_JAVA_OPTS",
            "JAVA_BIN", "JAVA_OPTS");

    private ConfigVariables() {
    }

    /** Every variable, in the order the configuration reads them. */
    public static List<String> names() {
        return NAMES;
    }

    private static List<String> collect() {
        ConfigParser p = new ConfigParser(ConfigSource.of(Map.of()));
        SwitchboardConfig.parse(p);
        List<String> names = new ArrayList<>();
        names.add(ConfigSource.CONFIG_FILE_VARIABLE);
        names.addAll(p.effectiveValues().keySet());
        return List.copyOf(names);
    }
}
