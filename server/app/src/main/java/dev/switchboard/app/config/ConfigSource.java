package dev.switchboard.app.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Raw configuration values: the optional properties file named by {@code SWITCHBOARD_CONFIG} (keys are the
 * variable names, e.g. {@code WS_PORT=3007}), overridden by environment variables of the same name.
 * Blank values count as unset.
 */
public final class ConfigSource {
    public static final String CONFIG_FILE_VARIABLE = "SWITCHBOARD_CONFIG";

    private final Map<String, String> values;
    private final Set<String> fileNames;
    private final Set<String> environmentNames;

    private ConfigSource(Map<String, String> values, Set<String> fileNames, Set<String> environmentNames) {
        this.values = values;
        this.fileNames = fileNames;
        this.environmentNames = environmentNames;
    }

    /** Environment variables, on top of the file {@code SWITCHBOARD_CONFIG} names (if any). */
    public static ConfigSource of(Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>();
        String file = environment.get(CONFIG_FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            merged.putAll(readFile(Path.of(file.trim())));
        }
        Set<String> fileNames = Set.copyOf(merged.keySet());
        merged.putAll(environment);
        return new ConfigSource(merged, fileNames, Set.copyOf(environment.keySet()));
    }

    /** The keys of the properties file (empty without one). */
    public Set<String> fileNames() {
        return fileNames;
    }

    /** The names of the environment variables. */
    public Set<String> environmentNames() {
        return environmentNames;
    }

    /** The trimmed value, or null when unset or blank. */
    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        value = value.trim();
        return value.isEmpty() ? null : value;
    }

    private static Map<String, String> readFile(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException(CONFIG_FILE_VARIABLE, "cannot read properties file " + path + " (" + e.getMessage() + ")");
        }
        Map<String, String> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        return values;
    }
}
