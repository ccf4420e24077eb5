package dev.switchboard.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import dev.switchboard.app.config.ConfigException;
import dev.switchboard.app.config.ConfigSource;
import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.app.config.UnknownVariables;
import dev.switchboard.namespaces.core.SwitchboardNamespace;

/**
 * Starts Switchboard, or runs one of the {@link Cli} commands. Exit codes: 0 after a graceful shutdown
 * (SIGTERM/SIGINT), 1 when start-up fails (e.g. a port in use), 2 when the configuration is invalid (the message
 * names the variable) or the command line is not understood.
 */
public final class Main {
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_BAD_CONFIG = 2;
    /** Time past SHUTDOWN_GRACE_MS the watchdog allows for the last steps before it halts the JVM. */
    private static final Duration WATCHDOG_SLACK = Duration.ofSeconds(2);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (Cli.command(args) == Cli.Command.SERVE) {
            run(System.getenv(), config -> config.namespaces().enabledNamespaces());
            return;
        }
        System.exit(new Cli(System.in, System.out, System.err).execute(args, System.getenv()));
    }

    /** Starts with these variables and namespaces, then waits for SIGTERM/SIGINT (which end the JVM). */
    static void run(Map<String, String> environment, Function<SwitchboardConfig, List<SwitchboardNamespace>> namespaces)
            throws InterruptedException {
        // Configuration is read before the first logger exists: LOG_FORMAT decides how logback is set up.
        SwitchboardConfig config;
        List<UnknownVariables.Unknown> unknown = List.of();
        try {
            ConfigSource source = ConfigSource.of(environment);
            unknown = UnknownVariables.in(source);
            config = SwitchboardConfig.from(source);
        } catch (ConfigException e) {
            configureLogging("text", "INFO");
            Logger log = LoggerFactory.getLogger(Main.class);
            warnUnknown(log, unknown);
            log.error("invalid configuration variable={} error=\"{}\"", e.variable(), e.getMessage());
            exit(EXIT_BAD_CONFIG);
            return;
        }
        configureLogging(config.logFormat(), config.logLevel());
        Logger log = LoggerFactory.getLogger(Main.class);
        warnUnknown(log, unknown);

        SwitchboardServer server;
        try {
            server = SwitchboardServer.start(config, namespaces.apply(config));
        } catch (ConfigException e) {
            log.error("invalid configuration variable={} error=\"{}\"", e.variable(), e.getMessage());
            exit(EXIT_BAD_CONFIG);
            return;
        } catch (RuntimeException e) {
            log.error("start failed error=\"{}\"", e.toString(), e);
            exit(EXIT_START_FAILED);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("signal received, shutting down");
            startWatchdog(config.shutdownGrace().plus(WATCHDOG_SLACK), log);
            server.close();
            stopped.countDown();
            log.info("exiting code=0");
            try {
                stopLogging();
            } finally {
                // The JVM would report 143 (SIGTERM) after the hooks; a completed graceful shutdown is a success.
                Runtime.getRuntime().halt(0);
            }
        }, "sb-shutdown"));
        stopped.await();
    }

    /** A misspelt variable is ignored by the parse: say so, once, naming the nearest known one. */
    private static void warnUnknown(Logger log, List<UnknownVariables.Unknown> unknown) {
        for (UnknownVariables.Unknown u : unknown) {
            log.warn("unknown variable name={} nearest={} source={}", u.name(), u.nearest(), u.source());
        }
    }

    private static void startWatchdog(Duration limit, Logger log) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                log.error("shutdown did not finish within {} ms; halting", limit.toMillis());
                stopLogging();
            } finally {
                Runtime.getRuntime().halt(EXIT_START_FAILED); // whatever logging does, the watchdog must end the JVM
            }
        }, "sb-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Must run before the first {@code LoggerFactory.getLogger}: logback.xml reads these properties. */
    private static void configureLogging(String format, String level) {
        System.setProperty("switchboard.logFormat", format);
        System.setProperty("switchboard.logLevel", level);
    }

    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    private static void exit(int code) {
        stopLogging();
        System.exit(code);
    }
}
