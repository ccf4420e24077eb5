package dev.switchboard.namespaces.core;

import java.util.Objects;
import java.util.function.Function;

/**
 * How a namespace of the product is declared, once, in its class: its name, whether it is
 * {@linkplain SwitchboardNamespace#sensitive() sensitive}, how it reads its settings from the server's configuration,
 * and how it installs with them.
 *
 * <p>The server's configuration reads every registered definition before logging is set up (LOG_FORMAT decides how),
 * so a namespace class must create nothing that logs in its static initializer: its logger is an instance field.
 *
 * @param <S> its settings
 */
public record NamespaceDefinition<S>(String name, boolean sensitive, Function<SettingsReader, S> settings,
                                     Installer<S> installer) {

    /** Installs the namespace with its settings; the handle it returns is what runs. */
    @FunctionalInterface
    public interface Installer<S> {
        RunningNamespace install(S settings, NamespaceContext context);
    }

    public NamespaceDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(installer, "installer");
    }

    /** The namespace with its settings read from the server's configuration. */
    public Configured<S> configure(SettingsReader reader) {
        return with(settings.apply(reader));
    }

    /** The namespace with these settings. */
    public Configured<S> with(S values) {
        return new Configured<>(this, values);
    }

    /** A definition bound to its settings: ready to install. */
    public record Configured<S>(NamespaceDefinition<S> definition, S settings) implements SwitchboardNamespace {

        @Override
        public String name() {
            return definition.name();
        }

        @Override
        public boolean sensitive() {
            return definition.sensitive();
        }

        @Override
        public RunningNamespace install(NamespaceContext context) {
            return definition.installer().install(settings, context);
        }
    }
}
