package dev.switchboard.emitapi;

/** A request the API refuses: answered as {@code {success:false, error:{code, message}}} with {@link #status()}. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** Stable machine-readable code, e.g. UNKNOWN_NAMESPACE, MISSING_EVENT, INVALID_JSON. */
    public String code() {
        return code;
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }
}
