package dev.switchboard.app.config;

/** A configuration value that stops start-up; the message names the variable. Main exits with code 2. */
public final class ConfigException extends RuntimeException {
    private final String variable;

    public ConfigException(String variable, String message) {
        super(variable + ": " + message, null, false, false);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
