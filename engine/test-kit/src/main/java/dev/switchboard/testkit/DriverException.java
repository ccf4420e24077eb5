package dev.switchboard.testkit;

/** The driver answered a command with an error (bad command, unknown socket, ack timeout...). */
public final class DriverException extends RuntimeException {
    public DriverException(String message) {
        super(message);
    }
}
