package dev.switchboard.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, from the filtered resource {@code switchboard-version.properties}. */
final class Version {
    private static final Properties BUILD = load();
    private static final String VERSION = property("version");
    private static final String COMMIT = property("commit");

    private Version() {
    }

    static String current() {
        return VERSION;
    }

    /** The commit the build was made from ({@code -Dswitchboard.commit=$(git rev-parse --short HEAD)}), or
     *  "unknown" when the build was not given one. */
    static String commit() {
        return COMMIT;
    }

    private static String property(String name) {
        String value = BUILD.getProperty(name, "");
        return value.isBlank() || value.startsWith("${") ? "unknown" : value; // ${...}: not filtered in
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/switchboard-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource: every value reads "unknown"
        }
        return properties;
    }
}
