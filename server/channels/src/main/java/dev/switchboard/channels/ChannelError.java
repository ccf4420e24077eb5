package dev.switchboard.channels;

/** The stable error codes of the plain WebSocket channel protocol ({@code {error, code, id?}}). */
public enum ChannelError {
    /** Unknown channel name, or a channel that cannot be published to. */
    INVALID_CHANNEL,
    /** The channel needs credentials this client has not presented (or they were refused). */
    UNAUTHORIZED,
    /** Not JSON, not an object, unknown type, missing or badly typed field. */
    INVALID_MESSAGE,
    /** The client's token bucket is empty. */
    RATE_LIMITED,
    /** The message is larger than the channel message limit. */
    PAYLOAD_TOO_LARGE,
    /** A server-wide bound is reached (a channel's room would be one room too many for its namespace). */
    LIMIT_EXCEEDED
}
