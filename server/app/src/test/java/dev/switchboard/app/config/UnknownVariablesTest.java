package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misspelt or foreign-looking names: warned about with the nearest known name; other programs' names are not. */
class UnknownVariablesTest {
    @TempDir
    Path dir;

    private static List<UnknownVariables.Unknown> environment(String... names) {
        return UnknownVariables.find(List.of(names), List.of(), ConfigVariables.names());
    }

    @Test
    void aMisspeltVariableIsNamedWithTheNearestKnownOne() {
        assertThat(environment("CORS_ORIGIN")).containsExactly(
                new UnknownVariables.Unknown("CORS_ORIGIN", "CORS_ORIGINS", "environment"));
        assertThat(environment("WSPORT", "EMIT_TOKN", "LOG_LEVL", "PM2_HOEM", "DOCKER_HOTS", "cors_origins"))
                .extracting(UnknownVariables.Unknown::nearest)
                .containsExactly("DOCKER_HOST", "EMIT_TOKEN", "LOG_LEVEL", "PM2_HOME", "WS_PORT", "CORS_ORIGINS");
    }

    @Test
    void aNameWithOurPrefixIsWarnedAboutHoweverFarFromAKnownOne() {
        assertThat(environment("REDIS_PASSWORD", "ADMIN_UI_PASSWORD", "JWT_JWKS"))
                .extracting(UnknownVariables.Unknown::name)
                .containsExactly("ADMIN_UI_PASSWORD", "JWT_JWKS", "REDIS_PASSWORD");
    }

    @Test
    void knownNamesAndOtherProgramsNamesAreLeftAlone() {
        assertThat(environment("CORS_ORIGINS", "WS_PORT", "PORT", "HOME", "PATH", "USER", "HOSTNAME", "JAVA_HOME",
                "LANG", "TERM", "PWD", "LOGNAME", "NODE_ENV", "PM2_USAGE", "PM2_JSON_PROCESSING", "DOCKER_BUILDKIT",
                "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "API_VERSION", "JAVA_OPTS", "SWITCHBOARD_JAR",
                "SWITCHBOARD_LOGS", "LOG_DIR", "PUBLIC_URL", "HTTP_PROXY", "NO_PROXY")).isEmpty();
    }

    @Test
    void everyUnknownKeyOfThePropertiesFileIsWarnedAbout() throws Exception {
        Path file = dir.resolve("switchboard.properties");
        Files.writeString(file, "WS_PORT=3007\nHOME=/root\nlisten.port=80\n");
        ConfigSource source = ConfigSource.of(Map.of("SWITCHBOARD_CONFIG", file.toString(), "HOME", "/root"));
        assertThat(UnknownVariables.in(source)).containsExactly(
                new UnknownVariables.Unknown("HOME", "HOST", "file"),
                new UnknownVariables.Unknown("listen.port", UnknownVariables.nearest("listen.port", ConfigVariables.names()), "file"));
    }

    @Test
    void distanceCountsASwapAsOneEdit() {
        assertThat(UnknownVariables.distance("HSOT", "HOST")).isEqualTo(1);
        assertThat(UnknownVariables.distance("HOME", "HOST")).isEqualTo(2);
        assertThat(UnknownVariables.distance("cors_origin", "CORS_ORIGINS")).isEqualTo(1);
    }
}
