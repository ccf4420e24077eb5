package dev.switchboard.namespaces.core;

/** A producer could not open or keep its upstream; {@link #code()} and the message go to the client. */
public class ProducerException extends Exception {
    private final String code;

    public ProducerException(String code, String message) {
        super(message);
        this.code = code;
    }

    public ProducerException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable machine-readable code, e.g. NOT_FOUND, BACKEND_UNAVAILABLE, BAD_REQUEST, FORBIDDEN. */
    public String code() {
        return code;
    }
}
