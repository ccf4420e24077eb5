package dev.switchboard.engineio;

/** A packet or payload that does not follow the Engine.IO wire format. The session closes with "parse error". */
public final class EngineParseException extends Exception {
    public EngineParseException(String message) {
        super(message, null, false, false);
    }
}
