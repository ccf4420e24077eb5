package dev.switchboard.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.mindrot.jbcrypt.BCrypt;

import dev.switchboard.app.config.ConfigException;
import dev.switchboard.app.config.ConfigSource;
import dev.switchboard.app.config.EffectiveConfig;
import dev.switchboard.app.config.UnknownVariables;

/**
 * The command line: no argument (or {@code serve}) starts the server; the other commands answer and exit with
 * 0, or 2 for bad input or a bad configuration. Output goes to the streams given, so tests run it in-process.
 */
final class Cli {
    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;
    /** bcrypt reads no further than this; a longer password would be cut without a word. */
    static final int MAX_PASSWORD_BYTES = 72;

    static final String USAGE = """
            Usage: java -jar switchboard.jar [command]

            Commands:
              (none), serve    start the server (configuration from the environment and SWITCHBOARD_CONFIG)
              check-config     validate the configuration, print the effective value of every variable as
                               NAME=value (secrets masked) and warnings for unknown names; exit 0, or 2 if invalid
              hash-password    read a password from stdin, print its bcrypt hash for ADMIN_UI_PASSWORD_HASH
                               (e.g. read -rs PW; printf '%s' "$PW" | java -jar switchboard.jar hash-password)
              -h, --help       print this help
              -V, --version    print the version

            Configuration: environment variables, over an optional properties file named by SWITCHBOARD_CONFIG
            (e.g. WS_PORT=3007, API_PORT=3008, CORS_ORIGINS=https://app.example.com, EMIT_TOKEN=...); PORT is used
            when WS_PORT is unset. Every variable is listed in the README and in env.example.

            Exit codes: 0 success (or a graceful stop after SIGTERM/SIGINT), 1 start-up failed,
                        2 invalid configuration or usage.
            """;

    enum Command { SERVE, HELP, VERSION, CHECK_CONFIG, HASH_PASSWORD, UNKNOWN }

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    Cli(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    static Command command(String[] args) {
        if (args.length == 0) {
            return Command.SERVE;
        }
        if (args.length > 1) {
            return Command.UNKNOWN;
        }
        return switch (args[0]) {
            case "serve" -> Command.SERVE;
            case "-h", "--help", "help" -> Command.HELP;
            case "-V", "--version", "version" -> Command.VERSION;
            case "check-config" -> Command.CHECK_CONFIG;
            case "hash-password" -> Command.HASH_PASSWORD;
            default -> Command.UNKNOWN;
        };
    }

    /** Runs every command but SERVE; returns the exit code. */
    int execute(String[] args, Map<String, String> environment) {
        return switch (command(args)) {
            case HELP -> {
                out.print(USAGE);
                yield EXIT_OK;
            }
            case VERSION -> {
                out.println("switchboard " + Version.current());
                yield EXIT_OK;
            }
            case CHECK_CONFIG -> checkConfig(environment);
            case HASH_PASSWORD -> hashPassword();
            case UNKNOWN -> {
                err.println("error: unknown arguments: " + String.join(" ", args));
                err.print(USAGE);
                yield EXIT_USAGE;
            }
            case SERVE -> throw new IllegalArgumentException("serve is Main's, not a CLI command");
        };
    }

    private int checkConfig(Map<String, String> environment) {
        try {
            ConfigSource source = ConfigSource.of(environment);
            for (UnknownVariables.Unknown unknown : UnknownVariables.in(source)) {
                err.println("warning: unknown variable name=" + unknown.name() + " nearest=" + unknown.nearest()
                        + " source=" + unknown.source());
            }
            EffectiveConfig effective = EffectiveConfig.read(source);
            effective.maskedLines().forEach(out::println);
            out.println("# in effect: " + effective.config()); // derived defaults (CORS_ORIGINS, NAMESPACES, ...)
            return EXIT_OK;
        } catch (ConfigException e) {
            err.println("error: invalid configuration variable=" + e.variable() + " error=\"" + e.getMessage() + "\"");
            return EXIT_USAGE;
        }
    }

    private int hashPassword() {
        String password;
        try {
            password = firstLine(in.readNBytes(4096));
        } catch (IOException e) {
            err.println("error: cannot read stdin (" + e.getMessage() + ")");
            return EXIT_USAGE;
        }
        if (password.isEmpty()) {
            err.println("error: no password on stdin");
            return EXIT_USAGE;
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            err.println("error: password longer than " + MAX_PASSWORD_BYTES + " bytes (bcrypt ignores the rest)");
            return EXIT_USAGE;
        }
        out.println(BCrypt.hashpw(password, BCrypt.gensalt(10)));
        return EXIT_OK;
    }

    /** The text up to the first line break (a trailing newline from echo or a terminal is not the password's). */
    private static String firstLine(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
