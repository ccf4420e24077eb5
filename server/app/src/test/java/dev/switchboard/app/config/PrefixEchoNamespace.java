package dev.switchboard.app.config;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.namespaces.core.ClientEvents;
import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.NamespaceDefinition;
import dev.switchboard.namespaces.core.Reply;
import dev.switchboard.namespaces.core.RunningNamespace;
import dev.switchboard.namespaces.core.SettingsReader;

/**
 * The worked example of adding a namespace with one setting (issue #17 part 3): {@code /echo} answers
 * {@code echo "text"} with {@code {ok, echo: ECHO_PREFIX + text}}. Everything it needs is in this class; shipping it
 * would add one line to {@code NamespaceRegistry} (and the ECHO_PREFIX rows every variable gets in README,
 * env.example, the systemd example and the PM2 file, which ConfigVariablesTest asks for by name).
 */
final class PrefixEchoNamespace implements RunningNamespace {
    static final NamespaceDefinition<String> DEFINITION =
            new NamespaceDefinition<>("/echo", false, PrefixEchoNamespace::prefix, PrefixEchoNamespace::new);

    private final ClientEvents events;

    /** ECHO_PREFIX: put before every echoed text; at most 16 characters, default "echo: ". */
    private static String prefix(SettingsReader config) {
        String prefix = config.string("ECHO_PREFIX", "echo: ");
        if (prefix.length() > 16) {
            throw config.invalid("ECHO_PREFIX", "must be at most 16 characters, got " + prefix.length());
        }
        return prefix;
    }

    private PrefixEchoNamespace(String prefix, NamespaceContext context) {
        events = new ClientEvents().on("echo", event -> event.arg(0).asText(),
                (socket, text) -> Reply.ok("echo", prefix + text));
        Map<String, Object> greeting = new LinkedHashMap<>();
        greeting.put("namespace", context.namespace().name());
        greeting.put("events", events.names());
        context.namespace().onConnection(socket -> {
            events.attach(socket);
            socket.emit("connected", greeting);
        });
    }

    @Override
    public int activeStreams() {
        return 0;
    }
}
