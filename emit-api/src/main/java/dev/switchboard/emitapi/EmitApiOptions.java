package dev.switchboard.emitapi;

/**
 * @param host          bind address of the HTTP API
 * @param port          0 = ephemeral (see {@link EmitApi#port()})
 * @param token         bearer token required on write routes and /stats; null = none required
 * @param maxBodyBytes  larger request bodies are refused with 413
 * @param maxBatchItems larger {@code /emit/batch} arrays are refused with 413
 */
public record EmitApiOptions(String host, int port, String token, int maxBodyBytes, int maxBatchItems) {
}
