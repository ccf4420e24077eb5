package dev.switchboard.app.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed configuration with the value each variable took (the one set, else its default), for
 * {@code check-config}. Secrets are masked when printed.
 */
public record EffectiveConfig(SwitchboardConfig config, Map<String, String> values) {
    static final String MASK = "********";
    private static final Pattern SECRET_NAME = Pattern.compile(".*(_TOKEN|_TOKENS|_SECRET|_PASSWORD|_PASSWORD_HASH)");
    /** user:password@ in a URL; a lone userinfo (redis://password@host) is a password too. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/@:\\s]*:)[^/@\\s]*@");
    private static final Pattern URL_LONE_USERINFO = Pattern.compile("(://)[^/@:\\s]+@");
    private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)([?&;](?:password|pass|pwd)=)[^&;]*");

    /** Throws {@link ConfigException} naming the first bad variable. */
    public static EffectiveConfig read(ConfigSource source) {
        ConfigParser p = new ConfigParser(source);
        SwitchboardConfig config = SwitchboardConfig.parse(p);
        Map<String, String> values = new LinkedHashMap<>();
        String file = source.get(ConfigSource.CONFIG_FILE_VARIABLE);
        values.put(ConfigSource.CONFIG_FILE_VARIABLE, file == null ? "" : file);
        values.putAll(p.effectiveValues());
        return new EffectiveConfig(config, Collections.unmodifiableMap(values));
    }

    /** {@code NAME=value} per variable, in reading order, secrets masked. */
    public List<String> maskedLines() {
        List<String> lines = new ArrayList<>();
        values.forEach((name, value) -> lines.add(name + "=" + masked(name, value)));
        return lines;
    }

    /** The value as safe to print: secrets become {@link #MASK}, passwords inside URLs too. */
    static String masked(String name, String value) {
        if (value.isEmpty()) {
            return value;
        }
        if (SECRET_NAME.matcher(name).matches()) {
            return MASK;
        }
        String hidden = URL_PASSWORD.matcher(value).replaceAll("$1" + MASK + "@");
        hidden = URL_LONE_USERINFO.matcher(hidden).replaceAll("$1" + MASK + "@");
        return QUERY_PASSWORD.matcher(hidden).replaceAll("$1" + MASK);
    }
}
